/**
 * Property tests (fast-check) run with one fixed seed by default, so a run is reproducible and CI
 * cannot turn red on a case no one has seen before. `FC_SEED=<n>` replays a seed; `FC_SEED=random`
 * explores new cases (what to do in a soak, or after changing the engine or the contract).
 */
import fc from 'fast-check'

const DEFAULT_SEED = 20_261_128
const requested = process.env.FC_SEED

if (requested !== 'random') {
  const seed = requested === undefined || requested === '' ? DEFAULT_SEED : Number(requested)
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED: expected an integer or "random" but received ${JSON.stringify(requested)}`)
  fc.configureGlobal({ seed })
}
