/**
 * The preload: exposes exactly the IPC contract as `window.messenger` and nothing else. Channel names
 * are checked against the contract before anything reaches ipcRenderer. Call audio ports travel beside
 * the contract (main/preload/audio.ts).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './api.ts';
import { forwardAudioPorts } from './audio.ts';

contextBridge.exposeInMainWorld('messenger', createPreloadApi(ipcRenderer));
forwardAudioPorts(ipcRenderer);
