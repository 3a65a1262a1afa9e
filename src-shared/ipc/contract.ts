/**
 * THE IPC contract: every channel the renderer may call in main, with zod schemas for its
 * request and response, and every event main may push. Main validates each request against it
 * (never trusting the renderer), validates its own responses before they leave (strict objects:
 * a field not declared here — a secret, say — cannot cross), and the renderer's client is typed
 * from it. Names are `<area>:<verb>`.
 *
 * Secrets travel one way only: into main (profiles:create / profiles:update). No response or
 * event schema has a field that can hold one.
 */
import { z } from 'zod'
import { BUCKET_ACLS, MAX_PROTECTION_RULES, STYLE_DELIMITERS } from '../model/image-settings'
import { CONFLICT_POLICIES, ITEM_ISSUE_CODES, ITEM_STATUSES, JOB_ISSUE_CODES, JOB_MODES, JOB_STATES } from '../model/jobs'
import { BUDGET_MEASURES, BUDGET_SAMPLES_MAX, QUALITY_FORMATS } from '../model/budget'
import { LINK_COLUMNS_MAX, LINK_FORMS, LINK_KEYS_MAX } from '../model/links'

/** Bounds on every string, so a hostile payload cannot make main allocate without limit. */
const text = (max = 256) => z.string().max(max)
const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/)
const objectKey = z.string().min(1).max(1023)
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/)
const processString = text(4096)
/** Image bytes as Base64 (JSON-safe on every transport); 30 MB of Base64 covers the 20 MB source limit. */
const imageData = z.string().max(30 * 1024 * 1024)

export const ErrorInfo = z.strictObject({
  /** OSS Code (InvalidArgument, NoSuchKey, …) or a transport code (InvalidPayload, UnknownChannel, Cancelled, NetworkError, InternalError). */
  code: text(64),
  message: text(2048),
  status: z.number().int().optional(),
  ec: text(32).optional(),
  requestId: text(128).optional(),
  /** Where in a process string the problem is. */
  span: z.strictObject({ start: z.number().int(), end: z.number().int() }).optional()
})
export type ErrorInfo = z.infer<typeof ErrorInfo>

export const ProfileSummary = z.strictObject({
  id,
  name: text(64),
  kind: z.enum(['sandbox', 'oss']),
  endpoint: text(512).optional(),
  region: text(64).optional(),
  bucket: text(63).optional(),
  maskedAccessKeyId: text(64).optional(),
  hasStsToken: z.boolean(),
  customDomain: text(253).optional(),
  /** Why a stored profile cannot be read (corrupt file, wrong key); it can still be deleted. */
  broken: text(512).optional(),
  /** With `broken`: `CorruptProfile` (only deletion helps) or `DecryptFailed` (re-entering the secrets helps). */
  brokenCode: z.enum(['CorruptProfile', 'DecryptFailed']).optional()
})
export type ProfileSummary = z.infer<typeof ProfileSummary>

const ProfileInput = z.strictObject({
  name: text(64).min(1),
  endpoint: text(512).optional(),
  region: text(64).optional(),
  bucket: bucketName.optional(),
  accessKeyId: text(128).min(1),
  accessKeySecret: text(256).min(1),
  stsToken: text(4096).optional(),
  customDomain: text(253).optional()
})

/** Absent = keep; `null` clears an optional field (endpoint, region, STS token, custom domain). Secrets only when typed anew. */
const ProfilePatch = ProfileInput.partial().extend({
  endpoint: text(512).nullable().optional(),
  region: text(64).nullable().optional(),
  stsToken: text(4096).nullable().optional(),
  customDomain: text(253).nullable().optional()
})

const ConnectionResult = z.union([
  z.strictObject({ ok: z.literal(true), latencyMs: z.number(), bucketCount: z.number().int().optional() }),
  z.strictObject({ ok: z.literal(false), error: ErrorInfo })
])

const ObjectEntry = z.strictObject({
  key: objectKey,
  size: z.number().int().nonnegative(),
  lastModified: text(64),
  etag: text(128).optional(),
  contentType: text(128).optional()
})

const StyleSummary = z.strictObject({
  name: text(63),
  process: processString,
  description: text(1024).optional(),
  updatedAt: text(64),
  versions: z.number().int().nonnegative()
})

const StyleVersion = z.strictObject({ version: z.number().int(), process: processString, savedAt: text(64) })

const StyleDiff = z.strictObject({
  name: text(63),
  state: z.enum(['same', 'local-only', 'bucket-only', 'different']),
  local: processString.optional(),
  bucket: processString.optional()
})

/** What a preview or a save is rendered from. */
const ImageSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('object'), profileId: id, bucket: bucketName.optional(), key: objectKey }),
  z.strictObject({ kind: z.literal('upload'), uploadId: id })
])

/**
 * `preview:render` quality. `final` (the default): the chain at full resolution, every number is
 * OSS's. `interactive`: while a slider moves, main may render on a cached reduced-resolution proxy
 * of the source; such an answer is a picture (`quality: 'interactive'`) with the size it stands for
 * (width and height of the full-resolution result, from the engine's geometry), no format and
 * `bytes` 0 — ask again with `final` for the rest. Main answers `final` whenever it rendered at full
 * resolution anyway (small sources, chains a proxy cannot show faithfully).
 */
const PreviewQuality = z.enum(['interactive', 'final'])

/** `via: 'oss'`: OSS's own result (fetched through a signed URL) measured against the local engine's. */
const Comparison = z.strictObject({
  /** The local engine's full-resolution result for the same source and process. */
  local: z.strictObject({ width: z.number().int(), height: z.number().int(), format: text(8), bytes: z.number().int(), renderMs: z.number() }),
  /** Same width and height (else OSS's result was scaled to the local size to be measured). */
  sameSize: z.boolean(),
  /** Mean absolute difference per RGBA channel, 0–255. */
  mae: z.number(),
  /** Peak signal-to-noise ratio in dB; null when the pixels are identical. */
  psnr: z.number().nullable(),
  maxDelta: z.number().int(),
  /** Share (0–1) of pixels differing by more than 8 levels in some channel. */
  changedShare: z.number(),
  /** Hamming distance of the 64-bit perceptual hashes, 0–64. */
  phashDistance: z.number().int(),
  comparedWidth: z.number().int(),
  comparedHeight: z.number().int(),
  /** SSIM of OSS's result against the local render (the Difference view's score; "matches OSS" at ≥ MATCHES_OSS_SSIM). */
  ssim: z.number().min(-1).max(1)
})

/**
 * The Difference view (`difference: true`): a heatmap PNG of the per-pixel difference (largest of R,
 * G, B on white, ×`amplify`, coloured on src-shared/model/difference.ts's scale) of the result
 * against the original (stretched to the result's size when the style resizes: `resized`), or with
 * `via: 'oss'` of OSS's result against the local render; `ssim` on the same pixels.
 */
const DifferenceView = z.strictObject({
  data: imageData,
  contentType: text(64),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  ssim: z.number().min(-1).max(1),
  maxDelta: z.number().int().min(0).max(255),
  mean: z.number().min(0).max(255),
  amplify: z.number().positive(),
  resized: z.boolean()
})

const px = z.number().int().min(-1_000_000).max(1_000_000)

/**
 * A single watermark as the engine composited it (src-main/engine/marks.ts): `x`, `y`, `width`,
 * `height` are its whole block in the full-resolution result's pixels (also for interactive
 * answers rendered on the proxy: scaled up); `placed` is where its step (`step`: index in the chain)
 * put it on the image as it was at that step — what g/x/y/voffset measure
 * (src-shared/img/geometry/watermark.ts). `turned`: a later rotate turned it.
 */
const PlacedMark = z.strictObject({
  step: z.number().int().nonnegative(),
  x: px,
  y: px,
  width: px,
  height: px,
  placed: z.strictObject({ frameWidth: px, frameHeight: px, left: px, top: px, width: px, height: px }),
  turned: z.boolean()
})

const Rendered = z.strictObject({
  kind: z.enum(['image', 'json']),
  /** Base64 image, or the JSON body for info / average-hue. */
  data: imageData,
  contentType: text(64),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  format: text(8).optional(),
  bytes: z.number().int(),
  sourceBytes: z.number().int(),
  sourceWidth: z.number().int(),
  sourceHeight: z.number().int(),
  renderMs: z.number(),
  /** Absent in answers of main versions before quality existed: `final`. */
  quality: PreviewQuality.optional(),
  /** The source's format (jpg, png, …). */
  sourceFormat: text(8).optional(),
  /** The source's estimated JPEG quality (JPEG sources), for the style linter's relative-quality rule. */
  sourceQuality: z.number().int().min(1).max(100).optional(),
  /** The source's EXIF orientation (2–8; absent when 1 or none): sourceWidth/sourceHeight are already turned by it. */
  sourceOrientation: z.number().int().min(2).max(8).optional(),
  /** With `via: 'oss'`: the measure against the local render (the rest of the answer is OSS's result; renderMs is the fetch time). */
  comparison: Comparison.optional(),
  difference: DifferenceView.optional(),
  /** Final renders: what the result does not show at a glance (an enlargement, a clipped watermark). */
  warnings: z
    .array(z.strictObject({ code: z.enum(['Upscaled', 'NotEnlarged', 'WatermarkClipped', 'WatermarkOutside']), action: text(32), message: text(512) }))
    .max(32)
    .optional(),
  /** Images: the single watermarks drawn, for the studio's drag box and the aspect ghosts' badges. */
  marks: z.array(PlacedMark).max(64).optional()
})

// ---- jobs: bulk derivatives, run in main by src-main/services/jobs (model: src-shared/model/jobs.ts) ----

const jobId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/)
const styleLabel = text(63).min(1)
const count = z.number().int().nonnegative()
/** Source keys and rendered targets as they are (the manifest flags invalid ones; main clips longer ones). */
const jobKey = text(4096)

/** Dry-run rows sent to the renderer (flagged rows first); the summary counts them all. */
export const JOB_MANIFEST_ITEMS_MAX = 1000
/** Failures sent by `jobs:report`; the CSV has them all. */
export const JOB_FAILURES_MAX = 1000

const JobFilter = { suffixes: z.array(text(32).min(1)).max(32).optional(), pattern: text(512).optional() }

/** A job as the renderer asks for it, on one profile: named styles resolve when it is created (library first, then the source bucket). */
const JobInput = z.strictObject({
  profileId: id,
  source: z.discriminatedUnion('kind', [
    /** `bucket` defaults to the profile's bucket. */
    z.strictObject({ kind: z.literal('bucket'), bucket: bucketName.optional(), prefix: text(1023).optional(), ...JobFilter }),
    z.strictObject({ kind: z.literal('keys'), bucket: bucketName.optional(), keys: z.array(objectKey).min(1).max(10_000) }),
    /** A bucket inventory report: a manifest.json path on main's machine or `oss://bucket/key`; `bucket` defaults to the profile's. */
    z.strictObject({ kind: z.literal('inventory'), bucket: bucketName.optional(), manifest: text(4096).min(1), prefix: text(1023).optional(), ...JobFilter })
  ]),
  styles: z.array(z.union([z.strictObject({ style: styleLabel }), z.strictObject({ process: processString.min(1), label: styleLabel.optional() })])).min(1).max(16),
  target: z.discriminatedUnion('kind', [
    /** A bucket of the same profile (default: the source's), written server-side by OSS (processObjectSave). */
    z.strictObject({ kind: z.literal('bucket'), bucket: bucketName.optional() }),
    /** An absolute folder on the machine main runs on; the engine processes locally. */
    z.strictObject({ kind: z.literal('folder'), dir: text(4096).min(1) })
  ]),
  /** `{key}` `{dir}` `{name}` `{ext}` `{style}` `{format}`. */
  template: text(1024).min(1),
  conflict: z.enum(CONFLICT_POLICIES).optional()
})

const JobCounts = z.strictObject({ total: count, done: count, skipped: count, failed: count })

const JobProgress = JobCounts.extend({
  jobId,
  state: z.enum(JOB_STATES),
  pending: count,
  inFlight: count,
  concurrency: count,
  throttled: count,
  retries: count,
  bytes: count,
  /** Items per second over the last few seconds. */
  rate: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  elapsedMs: z.number().nonnegative()
})

const JobStyleView = z.strictObject({ label: text(63), process: processString, name: text(63).optional() })

/** A job as main holds it. A key list travels as its size only. */
const JobView = z.strictObject({
  id: jobId,
  name: text(200).optional(),
  profileId: id.optional(),
  state: z.enum(JOB_STATES),
  createdAt: text(64),
  spec: z.strictObject({
    source: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('bucket'), bucket: text(63), prefix: text(1023), ...JobFilter }),
      z.strictObject({ kind: z.literal('keys'), bucket: text(63), keys: count }),
      z.strictObject({ kind: z.literal('inventory'), bucket: text(63), manifest: text(4096), prefix: text(1023), ...JobFilter }),
      z.strictObject({ kind: z.literal('folder'), dir: text(4096), ...JobFilter })
    ]),
    styles: z.array(JobStyleView).max(16),
    target: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('bucket'), bucket: text(63), region: text(64).optional() }), z.strictObject({ kind: z.literal('folder'), dir: text(4096) })]),
    template: text(1024),
    conflict: z.enum(CONFLICT_POLICIES),
    mode: z.enum(JOB_MODES)
  }),
  concurrency: z.number().int().min(1).max(256).optional(),
  /** Over all runs; `total` is the last run's manifest size. */
  counts: JobCounts,
  progress: JobProgress.optional(),
  /** State `error`: why the run stopped (e.g. `Blocked` by a cross-region target). */
  error: z.strictObject({ code: text(64), message: text(2048), status: z.number().int().optional(), ec: text(32).optional() }).optional()
})

const ManifestItem = z.strictObject({
  sourceKey: jobKey,
  style: text(63),
  targetKey: jobKey,
  format: text(16),
  sourceBytes: count,
  issues: z.array(z.strictObject({ code: z.enum(ITEM_ISSUE_CODES), message: text(2048) })).max(8)
})

const Manifest = z.strictObject({
  summary: z.strictObject({
    sources: count,
    items: count,
    byStyle: z.record(text(63), count),
    estimatedBytes: count,
    collisions: count,
    invalidTargets: count,
    targetIsSource: count,
    tooLarge: count,
    missingSources: count,
    excludedOwnTargets: count,
    /** Absent when the target's region could not be determined. */
    crossRegion: z.boolean().optional(),
    runnable: count
  }),
  issues: z.array(z.strictObject({ code: z.enum(JOB_ISSUE_CODES), message: text(2048), blocking: z.boolean() })).max(16),
  /** The resolved styles (named ones pinned to their content). */
  styles: z.array(JobStyleView).max(16),
  items: z.array(ManifestItem).max(JOB_MANIFEST_ITEMS_MAX),
  /** Rows not sent: the manifest has more than JOB_MANIFEST_ITEMS_MAX. */
  omitted: count
})

const ItemResult = z.strictObject({
  sourceKey: jobKey,
  style: text(63),
  targetKey: jobKey,
  status: z.enum(ITEM_STATUSES),
  /** Over all runs. */
  attempts: count,
  bytes: count.optional(),
  /** Done without a new write: an interrupted attempt's write was found in place. */
  recovered: z.boolean().optional(),
  /** OSS's (or the engine's) answer; status -1 network, -2 timeout, 0 local. */
  error: z.strictObject({ status: z.number().int(), code: text(64), ec: text(32).optional(), message: text(2048), requestId: text(128).optional(), retryable: z.boolean() }).optional()
})

// ---- links: the link matrix, built and signed in main (src-main/services/links; model: src-shared/model/links.ts) ----

const LINK_CELLS_MAX = LINK_KEYS_MAX * LINK_COLUMNS_MAX
const url = text(16_384)

const LinkCheck = z.strictObject({
  /** -1: no answer (network error, timeout). */
  status: z.number().int(),
  contentType: text(128),
  bytes: count,
  /** OSS's error Code when the check failed (NoSuchStyle, AccessDenied…). */
  code: text(64).optional(),
  /** OSS's error Message (e.g. "Request has expired."). */
  message: text(512).optional()
})

const SandboxSettings = z.strictObject({
  bucket: text(63),
  /** Buckets of the Local sandbox. */
  buckets: z.array(text(63)).max(1000),
  acl: z.enum(BUCKET_ACLS),
  styleDelimiter: z.enum(STYLE_DELIMITERS).optional(),
  sourceProtection: z.boolean(),
  /** `PREFIX*SUFFIX` patterns (src-shared/model/image-settings.ts). */
  protectionRules: z.array(text(2048)).max(MAX_PROTECTION_RULES),
  protectionIgnoreCase: z.boolean()
})

// ---- budget: the byte-budget solver (src-main/services/budget; model: src-shared/model/budget.ts) ----

/** The samples: chosen images (bucket objects, uploads), or the first `limit` objects under a bucket prefix. */
const BudgetSamples = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sources'), sources: z.array(ImageSource).min(1).max(BUDGET_SAMPLES_MAX) }),
  z.strictObject({ kind: z.literal('prefix'), profileId: id, bucket: bucketName.optional(), prefix: text(1023), limit: z.number().int().min(1).max(BUDGET_SAMPLES_MAX).optional() })
])

const BudgetResult = z.strictObject({
  format: z.enum(QUALITY_FORMATS),
  /** null: not even Q_1 meets the budget (`met` false; the sizes are Q_1's, the smallest reached). */
  Q: z.number().int().min(1).max(100).nullable(),
  met: z.boolean(),
  maxBytes: count,
  p95Bytes: count,
  medianBytes: count,
  /** Mean SSIM (0–1) at Q against the chain unencoded; null when not met. */
  score: z.number().min(-1).max(1).nullable(),
  timeMs: count
})

const channel = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response })
const none = z.strictObject({})

export const CHANNELS = {
  'app:info': channel(
    none,
    z.strictObject({
      version: text(32),
      mode: z.enum(['electron', 'web']),
      dataDir: text(4096),
      /** What protects saved secrets: the OS keychain (Electron), the OS keyring, a passphrase, or only a key file beside them. */
      secretProtection: z.enum(['os-keychain', 'os-keyring', 'passphrase', 'key-file'])
    })
  ),

  'profiles:list': channel(none, z.strictObject({ profiles: z.array(ProfileSummary).max(1000), activeId: id })),
  'profiles:create': channel(ProfileInput, ProfileSummary),
  'profiles:update': channel(z.strictObject({ id, patch: ProfilePatch }), ProfileSummary),
  'profiles:delete': channel(z.strictObject({ id }), none),
  'profiles:setActive': channel(z.strictObject({ id }), none),
  'profiles:test': channel(z.strictObject({ id }), ConnectionResult),

  'objects:list': channel(
    z.strictObject({
      profileId: id,
      bucket: bucketName.optional(),
      prefix: text(1023).optional(),
      delimiter: text(8).optional(),
      continuationToken: text(1024).optional(),
      maxKeys: z.number().int().min(1).max(1000).optional()
    }),
    z.strictObject({ objects: z.array(ObjectEntry).max(1000), prefixes: z.array(text(1023)).max(1000), nextContinuationToken: text(1024).optional() })
  ),

  'uploads:add': channel(z.strictObject({ name: text(255), data: imageData }), z.strictObject({ uploadId: id, bytes: z.number().int() })),

  'preview:render': channel(
    z.strictObject({
      source: ImageSource,
      process: processString,
      maxSide: z.number().int().min(16).max(16_384).optional(),
      quality: PreviewQuality.optional(),
      /** `oss`: fetch OSS's own result through a signed URL (objects only) and compare it with the local one. Default `local`. */
      via: z.enum(['local', 'oss']).optional(),
      /** Add `difference` (a heatmap and SSIM) to a final render: against the original, or with `via: 'oss'` OSS's against the local one. */
      difference: z.boolean().optional()
    }),
    Rendered
  ),

  'styles:list': channel(
    none,
    z.strictObject({
      styles: z.array(StyleSummary).max(10_000),
      /** Style files that cannot be read (damaged, edited by hand): shown so they can be deleted (to the library's trash). */
      broken: z.array(z.strictObject({ name: text(63), message: text(2048) })).max(10_000).optional()
    })
  ),
  'styles:save': channel(z.strictObject({ name: text(63), process: processString, description: text(1024).optional() }), StyleSummary),
  'styles:rename': channel(z.strictObject({ from: text(63), to: text(63) }), StyleSummary),
  'styles:duplicate': channel(z.strictObject({ name: text(63), as: text(63) }), StyleSummary),
  'styles:delete': channel(z.strictObject({ name: text(63) }), none),
  'styles:history': channel(z.strictObject({ name: text(63) }), z.strictObject({ versions: z.array(StyleVersion).max(1000) })),
  'styles:revert': channel(z.strictObject({ name: text(63), version: z.number().int().nonnegative() }), StyleSummary),
  'styles:export': channel(z.strictObject({ names: z.array(text(63)).max(10_000).optional() }), z.strictObject({ json: text(10 * 1024 * 1024) })),
  'styles:import': channel(
    z.strictObject({ json: text(10 * 1024 * 1024), onConflict: z.enum(['skip', 'overwrite', 'rename']) }),
    z.strictObject({ imported: z.array(text(63)).max(10_000), skipped: z.array(text(63)).max(10_000), renamed: z.array(z.strictObject({ from: text(63), to: text(63) })).max(10_000) })
  ),
  'styles:diff': channel(z.strictObject({ profileId: id, bucket: bucketName.optional() }), z.strictObject({ styles: z.array(StyleDiff).max(10_000) })),
  'styles:push': channel(z.strictObject({ profileId: id, bucket: bucketName.optional(), names: z.array(text(63)).min(1).max(50) }), z.strictObject({ pushed: z.array(text(63)).max(50) })),
  'styles:pull': channel(z.strictObject({ profileId: id, bucket: bucketName.optional(), names: z.array(text(63)).min(1).max(50) }), z.strictObject({ pulled: z.array(text(63)).max(50) })),
  'styles:deleteRemote': channel(z.strictObject({ profileId: id, bucket: bucketName.optional(), names: z.array(text(63)).min(1).max(50) }), none),

  'sign:url': channel(
    z.strictObject({
      profileId: id,
      bucket: bucketName.optional(),
      key: objectKey,
      process: processString.optional(),
      expiresSeconds: z.number().int().min(1).max(604_800),
      version: z.enum(['v1', 'v4']),
      contentDisposition: text(512).optional(),
      /** Sign for the profile's custom domain (its own bucket only). Default: true when the profile has one. */
      useCustomDomain: z.boolean().optional()
    }),
    z.strictObject({ url: text(16_384), expiresAt: text(64) })
  ),
  /**
   * Source-image protection, probed with one anonymous (unsigned) `GET /<key>?x-oss-process=image/info`:
   * 403 with EC 0040-00000031 → `on`; 2xx → `off`; anything else (a private bucket refuses every
   * anonymous read, a missing key, a network error) → `unknown`. OSS has no API to read the setting.
   */
  'sign:check': channel(
    z.strictObject({ profileId: id, bucket: bucketName.optional(), key: objectKey }),
    z.strictObject({ sourceProtection: z.enum(['on', 'off', 'unknown']), status: z.number().int().optional(), code: text(64).optional(), ec: text(32).optional() })
  ),

  'clipboard:write': channel(z.strictObject({ text: text(1024 * 1024) }), none),

  /** Newest first (at most 1000). */
  'jobs:list': channel(none, z.strictObject({ jobs: z.array(JobView).max(1000) })),
  'jobs:create': channel(JobInput.extend({ name: text(200).optional(), concurrency: z.number().int().min(1).max(256).optional() }), JobView),
  /** The full source → target manifest of a created job (`id`) or of a job not created yet (`job`); writes nothing. */
  'jobs:dryRun': channel(z.union([z.strictObject({ id: jobId }), z.strictObject({ job: JobInput })]), Manifest),
  /** The manifest rows of the first source key only (one page listed): the template's live example. */
  'jobs:example': channel(JobInput, z.strictObject({ items: z.array(ManifestItem).max(16) })),
  /** Starts, or resumes from the journal (created, cancelled, interrupted, finished, error); `retryFailed` reruns failed items too. */
  'jobs:start': channel(z.strictObject({ id: jobId, retryFailed: z.boolean().optional(), concurrency: z.number().int().min(1).max(256).optional() }), JobView),
  'jobs:pause': channel(z.strictObject({ id: jobId }), JobView),
  'jobs:resume': channel(z.strictObject({ id: jobId }), JobView),
  /** Resolves once stopped; the job stays resumable (`jobs:start`). */
  'jobs:cancel': channel(z.strictObject({ id: jobId }), JobView),
  /** Items in flight, also while the job runs (kept for its next runs). */
  'jobs:setConcurrency': channel(z.strictObject({ id: jobId, concurrency: z.number().int().min(1).max(256) }), JobView),
  /** Counts and failures (at most JOB_FAILURES_MAX); `csv: true` adds the RFC 4180 report (`failedOnly`: failures only). */
  'jobs:report': channel(
    z.strictObject({ id: jobId, csv: z.boolean().optional(), failedOnly: z.boolean().optional() }),
    z.strictObject({ state: z.enum(JOB_STATES), counts: JobCounts, failures: z.array(ItemResult).max(JOB_FAILURES_MAX), failuresOmitted: count, csv: text(30 * 1024 * 1024).optional() })
  ),
  /** Deletes a job that is not running (its journal; the targets stay). */
  'jobs:remove': channel(z.strictObject({ id: jobId }), none),

  /** One URL per key × column (row-major), signed in main when `sign` is given; `domain`: a custom domain (CNAME) base. */
  'links:build': channel(
    z.strictObject({
      profileId: id,
      bucket: bucketName.optional(),
      keys: z.array(objectKey).min(1).max(LINK_KEYS_MAX),
      columns: z.array(z.union([z.strictObject({ style: styleLabel }), z.strictObject({ process: processString.min(1), label: styleLabel.optional() })])).min(1).max(LINK_COLUMNS_MAX),
      form: z.enum(LINK_FORMS),
      delimiter: z.enum(STYLE_DELIMITERS).optional(),
      sign: z.strictObject({ version: z.enum(['v1', 'v4']), expiresSeconds: z.number().int().min(1).max(604_800) }).optional(),
      domain: text(512).optional()
    }),
    z.strictObject({
      columns: z.array(z.strictObject({ label: text(4096), process: processString, width: z.number().int().positive().optional() })).max(LINK_COLUMNS_MAX),
      cells: z.array(z.strictObject({ key: objectKey, style: text(4096), form: z.enum(LINK_FORMS), url, expires: text(64).optional() })).max(LINK_CELLS_MAX)
    })
  ),
  /** Ranged GET of every URL at bounded concurrency; `links:checked` reports each as it finishes. Cancellable. */
  'links:check': channel(
    z.strictObject({ checkId: id, urls: z.array(url).min(1).max(LINK_CELLS_MAX), concurrency: z.number().int().min(1).max(64).optional() }),
    z.strictObject({ checks: z.array(LinkCheck).max(LINK_CELLS_MAX) })
  ),

  /**
   * The highest Q_ per format that keeps the samples' output within `budgetBytes` (every sample, or
   * the nearest-rank 95th percentile); `budget:progress` reports the work as it goes. Cancellable.
   */
  'budget:solve': channel(
    z.strictObject({
      solveId: id,
      process: processString.min(1),
      samples: BudgetSamples,
      budgetBytes: z.number().int().min(1).max(1024 * 1024 * 1024),
      measure: z.enum(BUDGET_MEASURES),
      formats: z.array(z.enum(QUALITY_FORMATS)).min(1).max(QUALITY_FORMATS.length)
    }),
    z.strictObject({ results: z.array(BudgetResult).max(QUALITY_FORMATS.length), samples: count })
  ),

  /** The Local sandbox's bucket ACL and IMG settings (OSS sets those in its console): style delimiter, source-image protection. Default bucket: demo-bucket. */
  'sandbox:settings': channel(z.strictObject({ bucket: bucketName.optional() }), SandboxSettings),
  /** Absent = keep; `styleDelimiter: null` turns the delimiter form off. */
  'sandbox:updateSettings': channel(
    z.strictObject({
      bucket: bucketName.optional(),
      acl: z.enum(BUCKET_ACLS).optional(),
      styleDelimiter: z.enum(STYLE_DELIMITERS).nullable().optional(),
      sourceProtection: z.boolean().optional(),
      protectionRules: z.array(text(2048)).max(MAX_PROTECTION_RULES).optional(),
      protectionIgnoreCase: z.boolean().optional()
    }),
    SandboxSettings
  )
} as const

export const EVENTS = {
  /** Main → renderer: something the renderer shows changed outside its own request (e.g. a sync). */
  'styles:changed': z.strictObject({ names: z.array(text(63)).max(10_000) }),
  /** Main → renderer (Electron's File → Open Image…): images main added as uploads, and the files it could not open. */
  'uploads:added': z.strictObject({
    uploads: z.array(z.strictObject({ uploadId: id, name: text(255), bytes: z.number().int() })).max(100),
    failures: z.array(z.strictObject({ name: text(255), message: text(2048) })).max(100)
  }),
  /** A job was created or changed state (its counts are final when a run ends). */
  'jobs:state': z.strictObject({ job: JobView }),
  /** A running job's progress, at most every 250 ms per job (plus one per state change). */
  'jobs:progress': JobProgress,
  /** A failed item, as it fails (done and skipped items are counted by `jobs:progress`). */
  'jobs:item': z.strictObject({ jobId, result: ItemResult }),
  'jobs:removed': z.strictObject({ id: jobId }),
  /** A link of a `links:check` was checked (in completion order). */
  'links:checked': z.strictObject({ checkId: id, index: count, check: LinkCheck, done: count, total: count }),
  /** A `budget:solve` moved on: units of work done of the planned total (per format and sample: a render, up to 9 encodes, a score). */
  'budget:progress': z.strictObject({ solveId: id, done: count, total: count, format: z.enum(QUALITY_FORMATS) })
} as const

export type Channel = keyof typeof CHANNELS
export type EventName = keyof typeof EVENTS
export type RequestOf<C extends Channel> = z.input<(typeof CHANNELS)[C]['request']>
export type ResponseOf<C extends Channel> = z.output<(typeof CHANNELS)[C]['response']>
export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>

/** What every transport carries back for a request: a result or one error shape. */
export type Envelope<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: ErrorInfo }

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(CHANNELS, name)
}
