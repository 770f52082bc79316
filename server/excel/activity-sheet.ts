import type ExcelJS from 'exceljs';
import type { ActivityReport } from '../contracts/network.contract.ts';
import { formatDate } from '../domain/date-format.ts';
import { ACTIVITY_KIND_NAMES, ACTIVITY_KINDS } from '../domain/network-work.ts';
import { formatQuarter } from '../domain/quarter.ts';
import { bold, note, OUTCOME_SHEET, rows, SHARE, shareCell } from './outcome-sheets.ts';

const HEADER_ROW = 3;

/**
 * The sheet "Activiteiten" (issue 13): per quarter of the period the network's activities of
 * each kind and in all, their totals, and the share of the members with a house visit in the
 * twelve months up to the end of the period (or today, within the current quarter).
 */
export function writeActivities(workbook: ExcelJS.stream.xlsx.WorkbookWriter, report: ActivityReport): void {
  const sheet = workbook.addWorksheet(OUTCOME_SHEET.activities, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: HEADER_ROW }],
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const totalCol = ACTIVITY_KINDS.length + 2;
  sheet.columns = [
    { width: 28 },
    // The widest kind, "ambassadeursbijeenkomst", is 23 characters.
    ...ACTIVITY_KINDS.map((k) => ({ width: Math.max(12, ACTIVITY_KIND_NAMES[k].length + 3) })),
    { width: 12 },
  ];
  const w = rows(sheet);
  const period =
    report.from === report.to
      ? formatQuarter(report.from)
      : `${formatQuarter(report.from)} – ${formatQuarter(report.to)}`;
  w.add([`Activiteiten van het netwerk per kwartaal, ${period}`], (row) => {
    row.getCell(1).font = { bold: true, size: 14 };
  });
  w.add(
    ['Een activiteit telt in het kwartaal van haar datum, één keer, ook als er meer organisaties bij waren.'],
    note,
  );
  w.add(['Kwartaal', ...ACTIVITY_KINDS.map((k) => capitalised(ACTIVITY_KIND_NAMES[k])), 'Totaal'], (row) => {
    bold(row);
    row.alignment = { wrapText: true, vertical: 'top' };
  });
  const totals = ACTIVITY_KINDS.map(() => 0);
  let total = 0;
  for (const q of report.quarters) {
    w.add([formatQuarter(q.quarter), ...ACTIVITY_KINDS.map((k) => q.counts[k] ?? 0), q.total], (row) => {
      row.getCell(totalCol).font = { bold: true };
    });
    ACTIVITY_KINDS.forEach((k, i) => {
      totals[i]! += q.counts[k] ?? 0;
    });
    total += q.total;
  }
  w.add(['Totaal', ...totals, total], bold);

  const v = report.visited;
  w.add([]);
  w.add([`Leden met een huisbezoek in de laatste twaalf maanden (tot en met ${formatDate(v.asOf)})`], bold);
  w.add(['Bezocht', v.visited]);
  w.add(['Leden', v.members]);
  w.add(['Aandeel', v.share === null ? '–' : shareCell(v.share)], (row) => {
    if (v.share !== null) row.getCell(2).numFmt = SHARE;
    row.getCell(2).alignment = { horizontal: 'right' };
  });
  w.add(
    [
      `Leden: de organisaties die in ${formatQuarter(report.to)} lid zijn. Een huisbezoek telt voor elke organisatie die erbij was.`,
    ],
    note,
  );
  sheet.commit();
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
