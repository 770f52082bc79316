import { DOCUMENT_TYPES, type DocumentType, MAX_DOCUMENT_BYTES } from '../contracts/resource.contract.ts';
import type { ErrorCode } from '../errors.ts';
import { CONTENT_TYPES, sniffDocument } from './sniff.ts';

/** The longest file name kept (with its extension). */
export const FILE_NAME_MAX = 200;

const ALLOWED = DOCUMENT_TYPES.map((t) => `.${t}`).join(', ');

// Control characters (C0, DEL, C1) and the invisible bidi controls that can make "rapport‮fdp.exe"
// read as something else.
const UNSAFE_CHARACTERS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** What is wrong with an uploaded document: one problem per kind, each about the file. */
export interface DocumentProblem {
  code: Extract<
    ErrorCode,
    'invalid_file_name' | 'invalid_file_type' | 'file_type_mismatch' | 'file_too_large'
  >;
  message: string;
}

export type DocumentCheck =
  | { ok: true; type: DocumentType; contentType: string; name: string }
  | { ok: false; problems: DocumentProblem[] };

/**
 * Refuses a name that is not just a file name: folders (`/`, `\`), `..`, a leading dot, control
 * characters, or nothing at all. Such a name is not reduced to something safe but refused, so
 * what is stored is exactly what the person chose.
 */
export function fileNameProblem(name: string): string | null {
  if (name.trim() === '') return 'het bestand heeft geen naam; geef het een naam als protocol.pdf';
  if (name.length > FILE_NAME_MAX) return `de bestandsnaam is te lang: hoogstens ${FILE_NAME_MAX} tekens`;
  if (/[/\\]/.test(name) || name.includes('..'))
    return `de bestandsnaam '${printable(name)}' bevat een map of pad (/, \\ of ..); geef alleen de naam van het bestand, zoals protocol.pdf`;
  if (UNSAFE_CHARACTERS.test(name))
    return 'de bestandsnaam bevat onzichtbare of stuurtekens; geef het bestand een gewone naam, zoals protocol.pdf';
  if (name.startsWith('.'))
    return `de bestandsnaam '${printable(name)}' begint met een punt; geef het bestand een gewone naam, zoals protocol.pdf`;
  if (name !== name.trim()) return 'de bestandsnaam begint of eindigt met een spatie';
  return null;
}

/** A name as it can be shown in a message: unsafe characters as '?', cut to a readable length. */
function printable(name: string): string {
  const shown = name.replace(new RegExp(UNSAFE_CHARACTERS.source, 'gu'), '?');
  return shown.length > 80 ? `${shown.slice(0, 77)}…` : shown;
}

/** The extension of a name, lower case, without its dot; '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/**
 * Checks an uploaded document: its name, its size and its type by content; the name's extension
 * must be that of the type found. Every problem at once.
 */
export function checkDocument(name: string, content: Buffer): DocumentCheck {
  const problems: DocumentProblem[] = [];
  const nameProblem = fileNameProblem(name);
  if (nameProblem) problems.push({ code: 'invalid_file_name', message: nameProblem });
  if (content.length > MAX_DOCUMENT_BYTES) {
    problems.push({ code: 'file_too_large', message: tooLargeMessage() });
    return { ok: false, problems };
  }
  if (content.length === 0) {
    problems.push({ code: 'invalid_file_type', message: 'het bestand is leeg' });
    return { ok: false, problems };
  }
  const type = sniffDocument(content);
  if (type === null) {
    problems.push({
      code: 'invalid_file_type',
      message: `de inhoud van het bestand is geen pdf, Word-document (.docx), Excel-werkmap (.xlsx), PowerPoint (.pptx) of OpenDocument-tekst (.odt); alleen die soorten (${ALLOWED}) kunnen in de apothekerskast`,
    });
  } else if (nameProblem === null) {
    const extension = extensionOf(name);
    if (extension !== type) {
      problems.push({
        code: 'file_type_mismatch',
        message:
          extension === ''
            ? `de bestandsnaam heeft geen extensie, maar de inhoud is een ${type}-bestand; noem het bestand bijvoorbeeld document.${type}`
            : `de bestandsnaam eindigt op .${extension}, maar de inhoud is een ${type}-bestand; geef het bestand de extensie .${type} of kies het juiste bestand`,
      });
    }
  }
  if (problems.length > 0 || type === null) return { ok: false, problems };
  return { ok: true, type, contentType: CONTENT_TYPES[type], name };
}

export function tooLargeMessage(): string {
  return `het bestand is te groot: een document in de apothekerskast is hoogstens ${MAX_DOCUMENT_BYTES / (1024 * 1024)} MB`;
}

/** The type of a stored content type (as stored from `checkDocument`); null for anything else. */
export function documentTypeOf(contentType: string): DocumentType | null {
  const found = DOCUMENT_TYPES.find((t) => CONTENT_TYPES[t] === contentType);
  return found ?? null;
}
