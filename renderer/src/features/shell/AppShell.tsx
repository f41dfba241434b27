import { useEffect, type ReactNode } from 'react';
import { assertNever } from '#shared/ipc/result.ts';
import { useApp } from '../../store/use-app.ts';
import { AccountsScreen } from '../accounts/AccountsScreen.tsx';
import { CallBar } from '../calls/CallBar.tsx';
import { CallsScreen } from '../calls/CallsScreen.tsx';
import { IncomingCalls } from '../calls/IncomingCalls.tsx';
import { LiveCallAudio } from '../calls/LiveCallAudio.tsx';
import { ChatView } from '../chats/ChatView.tsx';
import { ContactsScreen } from '../contacts/ContactsScreen.tsx';
import { RequestsScreen } from '../chats/RequestsScreen.tsx';
import { DiagnosticsScreen } from '../diagnostics/DiagnosticsScreen.tsx';
import { SearchScreen } from '../search/SearchScreen.tsx';
import { Home } from './Home.tsx';
import { NoticeBanner } from './NoticeBanner.tsx';
import { QuickSwitcher } from './QuickSwitcher.tsx';
import { runShellCommand } from './shell-commands.ts';
import { commandForKey } from './shortcuts.ts';
import { SettingsScreen } from '../settings/SettingsScreen.tsx';
import { Sidebar } from './Sidebar.tsx';
import { UndoBar } from '../undo/UndoBar.tsx';

function MainContent(): ReactNode {
  const screen = useApp((s) => s.screen);
  const conversationId = useApp((s) => s.openConversationId);
  switch (screen) {
    case 'home':
      return <Home />;
    case 'accounts':
      return <AccountsScreen />;
    case 'contacts':
      return <ContactsScreen />;
    case 'chat':
      return conversationId ? <ChatView key={conversationId} conversationId={conversationId} /> : <Home />;
    case 'search':
      return <SearchScreen />;
    case 'calls':
      return <CallsScreen />;
    case 'diagnostics':
      return <DiagnosticsScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'requests':
      return <RequestsScreen />;
    default:
      return assertNever(screen);
  }
}

export function AppShell(): ReactNode {
  const switcher = useApp((s) => s.quickSwitcherOpen);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const command = commandForKey(e);
      if (command === null || !runShellCommand(command, e.target)) return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <Sidebar />
      <main id="main" className="main" tabIndex={-1}>
        <NoticeBanner />
        <IncomingCalls />
        <CallBar />
        <LiveCallAudio />
        <UndoBar />
        <MainContent />
      </main>
      {switcher ? <QuickSwitcher /> : null}
    </div>
  );
}
