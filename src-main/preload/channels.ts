/**
 * The contract's names, and nothing else, for the preload. The preload runs sandboxed and is
 * bundled on its own, so it must stay small: it cannot pull in zod (and every schema) just to know
 * which names exist. `test/host/electron-preload.test.ts` asserts these lists equal
 * `Object.keys(CHANNELS)` and `Object.keys(EVENTS)` of `src-shared/ipc/contract.ts`, so a channel
 * added to the contract without being added here fails the tests instead of silently vanishing.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'profiles:list',
  'profiles:create',
  'profiles:update',
  'profiles:delete',
  'profiles:setActive',
  'profiles:test',
  'objects:list',
  'uploads:add',
  'preview:render',
  'styles:list',
  'styles:save',
  'styles:rename',
  'styles:duplicate',
  'styles:delete',
  'styles:history',
  'styles:revert',
  'styles:export',
  'styles:import',
  'styles:diff',
  'styles:push',
  'styles:pull',
  'styles:deleteRemote',
  'sign:url',
  'sign:check',
  'clipboard:write',
  'jobs:list',
  'jobs:create',
  'jobs:dryRun',
  'jobs:example',
  'jobs:start',
  'jobs:pause',
  'jobs:resume',
  'jobs:cancel',
  'jobs:setConcurrency',
  'jobs:report',
  'jobs:remove',
  'links:build',
  'links:check',
  'budget:solve',
  'sandbox:settings',
  'sandbox:updateSettings'
] as const

export const EVENT_NAMES = ['styles:changed', 'uploads:added', 'jobs:state', 'jobs:progress', 'jobs:item', 'jobs:removed', 'links:checked', 'budget:progress'] as const

/** The three Electron IPC names the preload and the main process use between them. */
export const BRIDGE = {
  /** renderer → main, `ipcRenderer.invoke(invoke, channel, payload, id)` → Envelope */
  invoke: 'ipc:invoke',
  /** renderer → main, `ipcRenderer.send(cancel, id)`: aborts the request with that id */
  cancel: 'ipc:cancel',
  /** main → renderer, `webContents.send(event, name, payload)` */
  event: 'ipc:event'
} as const

/** What `window.ossImgStudio` is named in the renderer. */
export const BRIDGE_GLOBAL = 'ossImgStudio'

/** Request ids: what the contract allows for ids, so they are safe as map keys and in logs. */
export const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/
