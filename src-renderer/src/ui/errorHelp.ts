/**
 * What to change, per OSS error: the EC's class (its first four digits name the OSS area) when it has
 * one we know, else the Code. Unknown errors get no explanation rather than a guess.
 */
import type { ErrorInfo } from '../../../src-shared/ipc/contract'
import type { MessageKey } from '../i18n/keys'

const BY_EC_CLASS: Readonly<Record<string, MessageKey>> = {
  '0040': 'errors.help.ec0040',
  '0017': 'errors.help.ec0017',
  '0002': 'errors.help.ec0002',
  '0003': 'errors.help.ec0003'
}

const BY_CODE: Readonly<Record<string, MessageKey>> = {
  InvalidArgument: 'errors.help.InvalidArgument',
  AccessDenied: 'errors.help.AccessDenied',
  SignatureDoesNotMatch: 'errors.help.SignatureDoesNotMatch',
  InvalidAccessKeyId: 'errors.help.InvalidAccessKeyId',
  SecurityTokenExpired: 'errors.help.SecurityTokenExpired',
  RequestTimeTooSkewed: 'errors.help.RequestTimeTooSkewed',
  NoSuchBucket: 'errors.help.NoSuchBucket',
  NoSuchKey: 'errors.help.NoSuchKey',
  NoSuchStyle: 'errors.help.NoSuchStyle',
  ImageTooLarge: 'errors.help.ImageTooLarge',
  SourceTooLarge: 'errors.help.ImageTooLarge',
  SlowDown: 'errors.help.SlowDown',
  NetworkError: 'errors.help.NetworkError',
  RequestError: 'errors.help.NetworkError',
  ResponseTimeoutError: 'errors.help.NetworkError',
  CrossRegion: 'errors.help.CrossRegion',
  ReadOnlyProfile: 'errors.help.ReadOnlyProfile',
  DecryptFailed: 'errors.help.DecryptFailed',
  InternalError: 'errors.help.InternalError'
}

export function explanationOf(error: Pick<ErrorInfo, 'code' | 'ec'>): MessageKey | undefined {
  const byClass = error.ec ? BY_EC_CLASS[error.ec.slice(0, 4)] : undefined
  return byClass ?? BY_CODE[error.code]
}
