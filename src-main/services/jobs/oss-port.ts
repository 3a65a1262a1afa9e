/**
 * What the job runner needs of OSS: the OssService methods it calls, so tests (and the app) can
 * hand in an OssService, or anything with the same shape. `connect(bucket)` gives the connection
 * for a bucket (same credentials and endpoint as the job's source).
 */
import type { OssService } from '../oss'

export type JobOss = Pick<OssService, 'bucket' | 'region' | 'listAllObjects' | 'headObject' | 'getObject' | 'putObject' | 'processObjectSave'>

export type Connect = (bucket: string) => JobOss | Promise<JobOss>
