// An error next to the field it is about: the message right after the control, the control
// marked aria-invalid and described by the message, so a screen reader reads both together.
import { describedBy, h, setDescribedBy } from './dom.ts';
import { sentence } from './messages.ts';
import type { Problem } from './problems.ts';

const ERROR_CLASS = 'field-error';

function errorIdOf(control: HTMLElement): string {
  return `${control.id}-error`;
}

/** Marks a control as wrong and puts the message right after it (replacing an earlier one). */
export function showFieldError(control: HTMLElement, message: string): void {
  const errorId = errorIdOf(control);
  let el = document.getElementById(errorId);
  if (!el) {
    el = h('span', { class: ERROR_CLASS, id: errorId });
    control.after(el);
  }
  el.textContent = sentence(message);
  control.setAttribute('aria-invalid', 'true');
  setDescribedBy(control, [...describedBy(control), errorId]);
}

/** Takes a control's error away again. */
export function clearFieldError(control: HTMLElement): void {
  const errorId = errorIdOf(control);
  document.getElementById(errorId)?.remove();
  control.removeAttribute('aria-invalid');
  setDescribedBy(
    control,
    describedBy(control).filter((id) => id !== errorId),
  );
}

/**
 * Takes a control's error away as soon as the person changes it: the message was about the value
 * that was there, and an error that stays after the fix only confuses.
 */
export function clearWhenEdited(control: HTMLElement): void {
  const clear = () => {
    clearFieldError(control);
    control.removeEventListener('input', clear);
    control.removeEventListener('change', clear);
  };
  control.addEventListener('input', clear);
  control.addEventListener('change', clear);
}

/** Takes every field error inside a form (or another part of the page) away. */
export function clearFieldErrors(scope: ParentNode): void {
  for (const control of scope.querySelectorAll<HTMLElement>('[aria-invalid]')) clearFieldError(control);
  for (const el of scope.querySelectorAll(`.${ERROR_CLASS}`)) el.remove();
}

/**
 * Puts every problem next to the control of its path. Returns the first control marked (to
 * focus) and the problems that have no control on this form (to say in the summary).
 */
export function placeProblems(
  problems: Problem[],
  controls: Record<string, HTMLElement | undefined>,
): { first: HTMLElement | null; unplaced: Problem[] } {
  let first: HTMLElement | null = null;
  const unplaced: Problem[] = [];
  const shown = new Set<HTMLElement>();
  for (const problem of problems) {
    const control = problem.path === undefined ? undefined : controls[problem.path];
    if (!control) {
      unplaced.push(problem);
      continue;
    }
    // One message per field: the first problem is the one to fix first.
    if (shown.has(control)) continue;
    shown.add(control);
    showFieldError(control, problem.message);
    first ??= control;
  }
  return { first, unplaced };
}
