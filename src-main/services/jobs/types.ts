/** The bulk-job model lives in src-shared (the IPC contract and the renderer use it too). */
export * from '../../../src-shared/model/jobs'
