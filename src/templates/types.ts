/**
 * Shape of one embedded template.
 *
 * @module
 */

/** A template compiled into the program. */
export interface EmbeddedFile {
  /** The file's text. */
  readonly content: string;
  /** Whether the scaffolded file is made executable. */
  readonly executable: boolean;
  /** Hex SHA-256 of `content` as UTF-8, computed when the templates were embedded. */
  readonly sha256: string;
}
