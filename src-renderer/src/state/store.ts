/**
 * The studio's store (zustand): app/connection, profiles, the bucket browser and the editor's
 * process string. Every call to main goes through `ipc/client`; results land here, secrets never
 * do (profile inputs are passed through to main and dropped).
 */
import { create } from 'zustand'
import { errorInfoOf, invoke, isCancelled, onConnectionState } from '../ipc/client'
import { looksLikeImage } from '../ui/format'
import type { Listing, Studio } from './types'

/** The one listing request in flight: a newer navigation cancels it. */
let listingAbort: AbortController | undefined

const DEFAULT_PROCESS = 'image/resize,w_640/quality,q_80'

export const useStudio = create<Studio>()((set, get) => {
  const listPage = async (prefix: string, continuationToken?: string): Promise<Listing | undefined> => {
    const profileId = get().activeId
    if (!profileId) return undefined
    listingAbort?.abort()
    const controller = new AbortController()
    listingAbort = controller
    const page = await invoke('objects:list', { profileId, prefix, delimiter: '/', maxKeys: 200, ...(continuationToken ? { continuationToken } : {}) }, { signal: controller.signal })
    return { profileId, prefix, objects: page.objects, prefixes: page.prefixes, nextContinuationToken: page.nextContinuationToken }
  }

  const activeChanged = () => {
    set({ prefix: '', selectedKey: undefined, listing: { status: 'idle' } })
    void get().openPrefix('')
  }

  return {
    // ---- app ------------------------------------------------------------------------------
    info: undefined,
    connection: 'connecting',
    view: 'studio',
    setView: (view) => {
      set({ view })
      // Fresh summaries (e.g. the Local sandbox's endpoint appears once it has started).
      if (view === 'profiles') void get().loadProfiles()
    },
    async init() {
      onConnectionState((connection) => set({ connection }))
      try {
        set({ info: await invoke('app:info', {}) })
      } catch {
        // Shown through the connection state; the panels report their own failures.
      }
      await get().loadProfiles()
      if (get().activeId) await get().openPrefix('')
    },

    // ---- profiles ---------------------------------------------------------------------------
    profiles: { status: 'idle' },
    activeId: undefined,
    tests: {},
    async loadProfiles() {
      const previous = get().profiles
      set({ profiles: { status: 'loading', ...('data' in previous && previous.data ? { data: previous.data } : {}) } })
      try {
        const { profiles, activeId } = await invoke('profiles:list', {})
        const changed = activeId !== get().activeId
        set({ profiles: { status: 'ready', data: { list: profiles } }, activeId })
        // E.g. the active profile was deleted: main fell back to the Local sandbox.
        if (changed && previous.status !== 'idle') activeChanged()
      } catch (error) {
        set({ profiles: { status: 'error', error: errorInfoOf(error) } })
      }
    },
    async setActive(id) {
      if (id === get().activeId) return
      await invoke('profiles:setActive', { id })
      set({ activeId: id })
      activeChanged()
    },
    async createProfile(input) {
      const summary = await invoke('profiles:create', input)
      await get().loadProfiles()
      return summary
    },
    async updateProfile(request) {
      const summary = await invoke('profiles:update', request)
      set((state) => ({ tests: Object.fromEntries(Object.entries(state.tests).filter(([id]) => id !== request.id)) }))
      await get().loadProfiles()
      if (request.id === get().activeId) activeChanged()
      return summary
    },
    async deleteProfile(id) {
      await invoke('profiles:delete', { id })
      await get().loadProfiles()
    },
    async testProfile(id) {
      set((state) => ({ tests: { ...state.tests, [id]: { status: 'running' } } }))
      let result
      try {
        result = await invoke('profiles:test', { id })
      } catch (error) {
        result = { ok: false as const, error: errorInfoOf(error) }
      }
      set((state) => ({ tests: { ...state.tests, [id]: { status: 'done', result, at: Date.now() } } }))
      // The Local sandbox's endpoint shows once it has started.
      void get().loadProfiles()
    },

    // ---- bucket browser ---------------------------------------------------------------------
    prefix: '',
    listing: { status: 'idle' },
    loadingMore: false,
    selectedKey: undefined,
    async openPrefix(prefix) {
      set({ prefix, listing: { status: 'loading' }, loadingMore: false })
      try {
        const listing = await listPage(prefix)
        if (listing && get().prefix === prefix) {
          set({ listing: { status: 'ready', data: listing } })
          // Select the first image so the preview has something to show.
          const state = get()
          if (state.selectedUploadId === undefined && (!state.selectedKey || !listing.objects.some((o) => o.key === state.selectedKey))) {
            const first = listing.objects.find((o) => /\.(jpe?g|png|webp)$/i.test(o.key)) ?? listing.objects.find((o) => looksLikeImage(o.key, o.contentType))
            set({ selectedKey: first?.key })
          }
        }
      } catch (error) {
        if (!isCancelled(error)) set({ listing: { status: 'error', error: errorInfoOf(error) } })
      }
    },
    reloadListing: () => get().openPrefix(get().prefix),
    async loadMore() {
      const current = get().listing
      if (current.status !== 'ready' || !current.data.nextContinuationToken || get().loadingMore) return
      set({ loadingMore: true })
      try {
        const page = await listPage(current.data.prefix, current.data.nextContinuationToken)
        if (page && get().prefix === page.prefix) {
          set({
            listing: {
              status: 'ready',
              data: { ...page, objects: [...current.data.objects, ...page.objects], prefixes: [...current.data.prefixes, ...page.prefixes] }
            }
          })
        }
      } catch (error) {
        if (!isCancelled(error)) set({ listing: { status: 'error', error: errorInfoOf(error), data: current.data } })
      } finally {
        set({ loadingMore: false })
      }
    },
    selectedUploadId: undefined,
    select: (key) => set({ selectedKey: key, selectedUploadId: undefined }),
    selectUpload: (uploadId) => set({ selectedUploadId: uploadId, selectedKey: undefined }),

    // ---- editor -----------------------------------------------------------------------------
    process: DEFAULT_PROCESS,
    setProcess: (process) => set({ process })
  }
})
