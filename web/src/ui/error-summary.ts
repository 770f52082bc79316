// A list of what is wrong at the top of (or beside) a form, each item a link to its field.
import { type Child, h } from './dom.ts';
import { clearFieldError, placeProblems } from './field-errors.ts';
import { sentence } from './messages.ts';
import type { Problem } from './problems.ts';

/**
 * A link that moves focus to a field. Handled here, not by the router, which would take a plain
 * "#id" for another page.
 */
export function focusLink(target: HTMLElement, text: Child, href = `#${target.id}`): HTMLElement {
  return h(
    'a',
    {
      href,
      on: {
        click: (event) => {
          event.preventDefault();
          target.focus();
        },
      },
    },
    text,
  );
}

/** An alert with an introduction ("Nog niet opgeslagen: …") and one line per problem. */
export function errorSummary(intro: string, items: Child[]): HTMLElement {
  return h(
    'div',
    { class: 'notice error error-summary', role: 'alert' },
    h('p', null, intro),
    h('ul', null, ...items.map((item) => h('li', null, item))),
  );
}

// ---------------------------------------------------------------------------------------------
// A summary that follows the form: while the person fixes what is listed, each line goes as soon
// as it is right, the counts go down with it, and the summary goes when nothing is left. Without
// this, the list would keep saying what was wrong at the last save.

/** One problem in a summary that follows the form. */
export interface LiveProblem {
  /** What the line says (usually a focusLink to the field). */
  content: Child;
  /** Whether it is still wrong: asked again at every change in the form. */
  open: () => boolean;
  /** Called once when it is right again: take the field's own error away. */
  resolved?: () => void;
  /** Problems of one group share a line ("Nog niet beantwoord (3): 2a, 2b, 2c"). */
  group?: string;
}

export interface LiveSummaryOptions {
  /** Where the changes come from (its input and change events). */
  form: HTMLElement;
  /** The introduction, for the problems still open ("Nog niet opgeslagen: 3 criteria …"). */
  intro: (open: LiveProblem[]) => string;
  problems: LiveProblem[];
  /** The start of a group's line, for the number still open in it. */
  groups?: Record<string, (count: number) => Child>;
  /** After the last problem went and the summary with it. */
  onClear?: () => void;
}

/**
 * An error summary (like errorSummary) that follows the form. It stops following when it is taken
 * off the page (a new save draws a new one).
 */
export function liveErrorSummary(options: LiveSummaryOptions): HTMLElement {
  const { form, problems } = options;
  const open = new Set(problems);
  const element = h('div', { class: 'notice error error-summary', role: 'alert' });
  const draw = () => {
    // A group's line stands where its first problem stood.
    const lines: Array<{ content: Child } | { members: LiveProblem[] }> = [];
    const grouped = new Map<string, LiveProblem[]>();
    for (const problem of problems) {
      if (!open.has(problem)) continue;
      if (problem.group === undefined) {
        lines.push({ content: problem.content });
        continue;
      }
      let members = grouped.get(problem.group);
      if (!members) {
        members = [];
        grouped.set(problem.group, members);
        lines.push({ members });
      }
      members.push(problem);
    }
    const items = lines.map((line): Child => {
      if ('content' in line) return line.content;
      const { members } = line;
      return [
        options.groups?.[members[0]?.group ?? '']?.(members.length) ?? null,
        members.flatMap((p, i) => (i === 0 ? [p.content] : [', ', p.content])),
      ];
    });
    element.replaceChildren(
      h('p', null, options.intro([...open])),
      h('ul', null, ...items.map((item) => h('li', null, item))),
    );
  };
  const follow = () => {
    if (!element.isConnected) {
      stop();
      return;
    }
    let changed = false;
    for (const problem of [...open]) {
      if (problem.open()) continue;
      open.delete(problem);
      problem.resolved?.();
      changed = true;
    }
    if (!changed) return;
    // Announced once when it came; the lines that go while answering are not read out each time.
    element.removeAttribute('role');
    if (open.size > 0) {
      draw();
      return;
    }
    stop();
    element.remove();
    options.onClear?.();
  };
  const stop = () => {
    form.removeEventListener('input', follow);
    form.removeEventListener('change', follow);
  };
  form.addEventListener('input', follow);
  form.addEventListener('change', follow);
  draw();
  return element;
}

/** For `open`: wrong until the person changes the control (the server's word cannot be checked here). */
export function untilEdited(control: HTMLElement): () => boolean {
  let edited = false;
  const mark = () => {
    edited = true;
  };
  control.addEventListener('input', mark, { once: true });
  control.addEventListener('change', mark, { once: true });
  return () => !edited;
}

/** The text of a control's label ("E-mailadres"), for a line of a summary. */
function labelOf(control: HTMLElement): string {
  const label = control.id ? document.querySelector(`label[for="${CSS.escape(control.id)}"]`) : null;
  return (label?.textContent ?? control.getAttribute('aria-label') ?? '').trim();
}

/**
 * A form's refused input the GOV.UK way: every problem beside its field, and one summary above the
 * form with a line per problem that links to its field ("Naam: de naam bestaat al") and follows
 * the form (a line goes once its field is changed). Problems about no field on this form are said
 * in the summary as they are. Returns the summary to show and the first field to focus.
 */
export function formProblems(
  problems: Problem[],
  controls: Record<string, HTMLElement | undefined>,
  options: { form: HTMLElement; intro: string },
): { summary: HTMLElement; first: HTMLElement | null } {
  const { first, unplaced } = placeProblems(problems, controls);
  const seen = new Set<HTMLElement>();
  const lines: LiveProblem[] = [];
  for (const problem of problems) {
    const control = problem.path === undefined ? undefined : controls[problem.path];
    if (!control || seen.has(control)) continue;
    seen.add(control);
    const label = labelOf(control);
    lines.push({
      content: focusLink(
        control,
        label ? `${label}: ${sentence(problem.message)}` : sentence(problem.message),
      ),
      open: untilEdited(control),
      resolved: () => clearFieldError(control),
    });
  }
  for (const problem of unplaced) lines.push({ content: sentence(problem.message), open: () => true });
  const summary = liveErrorSummary({ form: options.form, intro: () => options.intro, problems: lines });
  return { summary, first };
}
