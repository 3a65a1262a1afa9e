/**
 * Electron entry: wires the composition root (router + services) into the Electron shell.
 * Everything Electron-specific lives in `host/electron.ts` (see there); everything the window
 * shows comes from the engine and services through the IPC contract.
 */
import { createMainServices } from './app/main-services'
import { startElectronApp } from './host/electron'

startElectronApp({ mainDir: import.meta.dirname, createServices: createMainServices })
