// Runs first (imported before the renderer): window.messenger exists when main.tsx evaluates.
import { installWsAudioLinks } from './audio-link.ts';
import { installWsBridge } from './ws-bridge.ts';

installWsBridge();
installWsAudioLinks();
