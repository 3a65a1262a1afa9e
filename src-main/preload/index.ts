/**
 * Preload: exposes exactly the IPC contract's channels through contextBridge. The contract
 * arrives with the app shell; until then the renderer gets the app's version only.
 */
import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('ossImgStudio', { version: '0.1.0' })
