/**
 * The preload: exposes exactly the IPC contract as `window.messenger` and nothing else. Channel names
 * are checked against the contract before anything reaches ipcRenderer.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './api.ts';

contextBridge.exposeInMainWorld('messenger', createPreloadApi(ipcRenderer));
