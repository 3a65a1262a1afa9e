/**
 * Errors of the style library that are not OSS rules (those are ImgError with OSS's EC). Each has
 * a string `code` and an HTTP-like `status`, which the IPC layer passes through as is.
 */

export type StyleLibraryErrorCode =
  /** No style of that name in the library. */
  | 'StyleNotFound'
  /** The target name of a rename, duplicate or restore is taken. */
  | 'StyleAlreadyExists'
  /** The style's file exists but cannot be used (invalid JSON, invalid document, unreadable). */
  | 'StyleUnreadable'
  /** revert() to a version the history does not hold (never saved, or dropped beyond the bound). */
  | 'StyleVersionNotFound'
  /** Nothing of that name in the trash. */
  | 'StyleNotInTrash'
  /** An import file that is not valid (nothing was imported). */
  | 'InvalidStyleFile'
  /** A description or sample keys that break the document's limits. */
  | 'InvalidArgument'
  /** The disk write failed; the previous document is unchanged. */
  | 'StyleWriteFailed'

const STATUS: Record<StyleLibraryErrorCode, number> = {
  StyleNotFound: 404,
  StyleAlreadyExists: 409,
  StyleUnreadable: 500,
  StyleVersionNotFound: 404,
  StyleNotInTrash: 404,
  InvalidStyleFile: 400,
  InvalidArgument: 400,
  StyleWriteFailed: 500
}

export interface StyleLibraryErrorInit {
  code: StyleLibraryErrorCode
  message: string
  /** The style concerned, if one. */
  styleName?: string | undefined
  /** The file concerned (for StyleUnreadable / StyleWriteFailed). */
  file?: string | undefined
  /** For InvalidStyleFile: every problem found, with where it is. */
  issues?: readonly { readonly path: string; readonly message: string }[] | undefined
  cause?: unknown
}

export class StyleLibraryError extends Error {
  override readonly name = 'StyleLibraryError'
  readonly code: StyleLibraryErrorCode
  readonly status: number
  readonly styleName: string | undefined
  readonly file: string | undefined
  readonly issues: readonly { readonly path: string; readonly message: string }[]

  constructor(init: StyleLibraryErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.code = init.code
    this.status = STATUS[init.code]
    this.styleName = init.styleName
    this.file = init.file
    this.issues = init.issues ?? []
  }

  toJSON(): { status: number; code: StyleLibraryErrorCode; message: string } {
    return { status: this.status, code: this.code, message: this.message }
  }
}

export function isStyleLibraryError(value: unknown, code?: StyleLibraryErrorCode): value is StyleLibraryError {
  return value instanceof StyleLibraryError && (code === undefined || value.code === code)
}
