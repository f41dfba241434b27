// Runs first (imported before the renderer): window.messenger exists when main.tsx evaluates.
import { installWsBridge } from './ws-bridge.ts';

installWsBridge();
