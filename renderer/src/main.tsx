import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { messengerApi } from './bridge/api.ts';
import { connectEvents } from './bridge/events.ts';
import { loadInitialState } from './bridge/initial-load.ts';
import { App } from './App.tsx';
import { applyTheme, loadTheme } from './lib/appearance.ts';
import { actions } from './store/store.ts';
import './styles/theme.css';
import './styles/layout.css';
import './styles/components.css';

applyTheme(loadTheme());
const api = messengerApi();
if (api === null) actions().noticeShown('This window is not connected to the app. Restart the app.');
else {
  connectEvents(api, actions);
  void loadInitialState(actions);
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
