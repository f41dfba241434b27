/** Test-host entry: the WebSocket bridge, then the unchanged renderer. ES modules evaluate in import order. */
import './install-bridge.ts';
import '../../renderer/src/main.tsx';
