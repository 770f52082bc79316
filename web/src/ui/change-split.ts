// What the change of the average is made of, in the board's words: the change over the
// organisations that had a gear in both quarters (like-for-like), how much of the total came from
// their improvement, from joiners and from leavers, and a warning when the quickscans behind the
// gears come from different model versions. The sentences are the domain's, as in the CLI and
// the workbook.
import type { Summary } from '../../../server/contracts/report.contract.ts';
import {
  describeChangeParts,
  describeLikeForLike,
  modelMixText,
} from '../../../server/domain/like-for-like.ts';
import { h } from './dom.ts';

/** Paragraphs for under the region's change; nothing when the summary has no comparison. */
export function changeSplit(summary: Summary): HTMLElement[] {
  const parts: HTMLElement[] = [];
  const { likeForLike, changeParts } = summary.overall;
  if (likeForLike && summary.from !== summary.to) {
    parts.push(h('p', null, describeLikeForLike(likeForLike, summary.from, summary.to)));
  }
  if (changeParts !== undefined && summary.from !== summary.to) {
    parts.push(h('p', null, describeChangeParts(changeParts, summary.from, summary.to)));
  }
  const versions = summary.modelVersions ?? [];
  if (versions.length > 1) {
    parts.push(h('p', { class: 'notice info' }, `Let op: ${modelMixText(versions)}.`));
  }
  return parts;
}
