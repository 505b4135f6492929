/**
 * Input and output shared by every stage: file-system faults as one error
 * naming the operation and the path, atomic writes (one by one or
 * under a folder) and JSON files,
 * byte arrays joined, content hashes, CSV with one convention for numbers,
 * and PNG sizes.
 *
 * @module
 */
export {
  FolderWriter,
  IO_FAULT_ENV,
  type JsonFile,
  overwriteJson,
  readJson,
  readJsonFile,
  writeAtomic,
  writeJson,
  writeJsonOnFullDisk,
} from "./atomic.ts";
export { IoError, type IoOperation, isIoFault, toIoError, withIoErrors } from "./errors.ts";
export { concatBytes } from "./bytes.ts";
export { md5, sha256, sha256File } from "./hash.ts";
export {
  type CsvCell,
  type CsvRow,
  type NumberTable,
  parseCsv,
  type ParseCsvOptions,
  parseNumberRows,
  parseNumberTable,
  toCsv,
} from "./csv.ts";
export { pngSize } from "./png.ts";
