// The widths at which the layout changes are listed in base.css (CSS cannot read them from here:
// custom properties do not work in media queries). Script needs one of them.

/** Wide: the quickscan's outcome stands beside the questions, its next steps unfolded. */
export const WIDE = '(min-width: 60rem)';
