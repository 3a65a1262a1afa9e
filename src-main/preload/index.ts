/**
 * Preload (sandboxed, context-isolated): exposes exactly the IPC contract's channels through
 * `contextBridge` as `window.ossImgStudio`. It forwards only the contract's names — anything else
 * is refused here, before it reaches main (which validates everything again) — and never hands the
 * renderer an Electron object (no `ipcRenderer`, no `IpcRendererEvent`).
 */
import { contextBridge, ipcRenderer } from 'electron'
import { BRIDGE_GLOBAL } from './channels'
import { createBridge } from './bridge'

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createBridge(ipcRenderer))
