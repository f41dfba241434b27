import type { ReactNode } from 'react';
import { AppShell } from './features/shell/AppShell.tsx';

export function App(): ReactNode {
  return <AppShell />;
}
