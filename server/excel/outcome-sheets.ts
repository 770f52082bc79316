import type ExcelJS from 'exceljs';
import type { ActivityReport } from '../contracts/network.contract.ts';
import type { IncidentReport, Target } from '../contracts/outcome.contract.ts';
import type { QuarterIncidentTotals } from '../domain/incident-report.ts';
import { INCIDENT_FIELD_NAMES, INCIDENT_FIELDS } from '../domain/incidents.ts';
import type { MeasureComparison, MeasureShare } from '../domain/measures.ts';
import { formatQuarter, type Quarter } from '../domain/quarter.ts';
import { roundHalfAway, spreadsheetPercent } from '../domain/rounding.ts';
import { formatTargetValue } from '../domain/targets.ts';

/** What the workbook shows beyond the gears (issues 12 and 13): incidents, measures, targets, activities. */
export interface OutcomeData {
  targets: Target[];
  /** Null when the region has no 0-meting yet. */
  incidents: IncidentReport | null;
  incidentTotals: QuarterIncidentTotals[];
  measures: { quarter: Quarter; from: Quarter | null; rows: Array<MeasureShare | MeasureComparison> };
  /** The network's activities per quarter and the members visited (issue 13); no sheet without it. */
  activities?: ActivityReport;
}

export const OUTCOME_SHEET = {
  incidents: 'Incidenten',
  measures: 'Maatregelen',
  activities: 'Activiteiten',
} as const;

const NUM_2 = '[$-413]0.00';
const PERCENT = '[$-413]+0.00%;-0.00%;+0.00%';
export const SHARE = '[$-413]0.00%';
const POINTS = '[$-413]+0.00;-0.00;+0.00';
const GREY = 'FF595959';

type Workbook = ExcelJS.stream.xlsx.WorkbookWriter;

/** A sheet writer that adds rows one after another. */
export function rows(sheet: ExcelJS.Worksheet) {
  let r = 0;
  return {
    add(values: ExcelJS.CellValue[], style?: (row: ExcelJS.Row) => void): ExcelJS.Row {
      const row = sheet.getRow(++r);
      values.forEach((v, i) => {
        row.getCell(i + 1).value = v;
      });
      style?.(row);
      row.commit();
      return row;
    },
  };
}

export const bold = (row: ExcelJS.Row) => {
  row.font = { bold: true };
};
export const note = (row: ExcelJS.Row) => {
  row.getCell(1).font = { italic: true, color: { argb: GREY } };
};
const formats =
  (...byColumn: Array<[number, string]>) =>
  (row: ExcelJS.Row) => {
    for (const [col, fmt] of byColumn) row.getCell(col).numFmt = fmt;
  };

const percentOrNull = (v: number | null) => (v === null ? null : spreadsheetPercent(v));
/** A share (0…1) as the percent cell holds it: rounded half away from zero to 0,01% first, as shown. */
export const shareCell = (v: number | null) => (v === null ? null : spreadsheetPercent(v * 100));
const rateOrNull = (v: number | null) => (v === null ? null : roundHalfAway(v, 2));
const yesNo = (v: boolean | null) => (v === null ? '–' : v ? 'ja' : 'nee');

/** The sheet "Incidenten": the 0-meting against the period per sector, and the figures per quarter. */
export function writeIncidents(workbook: Workbook, data: OutcomeData, from: Quarter, to: Quarter): void {
  const sheet = workbook.addWorksheet(OUTCOME_SHEET.incidents, {
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = [
    { width: 30 },
    { width: 14 },
    { width: 14 },
    { width: 14 },
    { width: 12 },
    { width: 10 },
    { width: 14 },
    { width: 14 },
    { width: 14 },
    { width: 14 },
  ];
  const w = rows(sheet);
  const r = data.incidents;
  w.add([`Incidenten per 100 medewerkers met een publieke taak, per jaar`], (row) => {
    row.getCell(1).font = { bold: true, size: 14 };
  });
  if (r === null) {
    w.add(
      ['Er is nog geen 0-meting vastgelegd: de vergelijking met de 0-meting volgt zodra die er is.'],
      note,
    );
  } else {
    w.add([
      `0-meting ${formatQuarter(r.baseline.from)} – ${formatQuarter(r.baseline.to)} tegen ${formatQuarter(r.period.from)} – ${formatQuarter(r.period.to)}`,
    ]);
    w.add([]);
    w.add(
      [
        'Sector',
        'Per 100, 0-meting',
        'Per 100, periode',
        'Verandering',
        'Doel',
        'Op koers',
        'Vergeleken',
        'Alleen 0-meting',
        'Alleen periode',
        'Zonder medewerkers',
      ],
      bold,
    );
    const line = (name: string, c: IncidentReport['region'], isRegion: boolean) =>
      w.add(
        [
          name,
          rateOrNull(c.baseline.per100),
          rateOrNull(c.period.per100),
          percentOrNull(c.changePercent),
          percentOrNull(c.targetPercent),
          yesNo(c.onTrack),
          c.organisations.both,
          c.organisations.onlyBaseline,
          c.organisations.onlyPeriod,
          c.organisations.withoutEmployees,
        ],
        (row) => {
          formats([2, NUM_2], [3, NUM_2], [4, PERCENT], [5, PERCENT])(row);
          if (isRegion) row.font = { bold: true };
        },
      );
    for (const s of r.sectors) line(s.name, s, false);
    line('Regio', r.region, true);
    w.add([]);
    w.add(
      [
        'Alleen organisaties met cijfers in de 0-meting én in de periode worden vergeleken; de andere zijn geteld, niet meegerekend. Een kwartaal zonder cijfers is niet geregistreerd (niet 0). Per 100 is per jaar: de incidenten van de geregistreerde kwartalen gedeeld door de medewerkers maal het aandeel van het jaar.',
      ],
      note,
    );
  }
  w.add([]);
  w.add(
    [`Geregistreerde cijfers van de regio per kwartaal, ${formatQuarter(from)} – ${formatQuarter(to)}`],
    bold,
  );
  w.add(
    ['Kwartaal', 'Organisaties', 'Incidenten', ...INCIDENT_FIELDS.map((f) => INCIDENT_FIELD_NAMES[f])],
    bold,
  );
  for (const q of data.incidentTotals) {
    w.add([
      formatQuarter(q.quarter),
      q.organisations,
      q.incidents,
      ...INCIDENT_FIELDS.map((f) => q.figures[f]),
    ]);
  }
  sheet.commit();
}

/** The sheet "Maatregelen": per VPT measure the share of members meeting it, region and sectors. */
export function writeMeasures(workbook: Workbook, data: OutcomeData): void {
  const { quarter, from, rows: measures } = data.measures;
  const sectors = measures[0]?.sectors ?? [];
  const sheet = workbook.addWorksheet(OUTCOME_SHEET.measures, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 3 }],
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = [
    { width: 30 },
    { width: 12 },
    { width: 10 },
    { width: 10 },
    { width: 12 },
    ...(from ? [{ width: 12 }, { width: 14 }] : []),
    ...sectors.map(() => ({ width: 14 })),
  ];
  const w = rows(sheet);
  w.add(
    [`Aandeel leden dat aan de criteria van een VPT-maatregel voldoet, ${formatQuarter(quarter)}`],
    (row) => {
      row.getCell(1).font = { bold: true, size: 14 };
    },
  );
  w.add(
    [
      'Onbekend: een versnelling zonder antwoorden (rechtstreeks vastgelegd) of nog geen versnelling; zij tellen mee in het totaal, niet als voldaan.',
    ],
    note,
  );
  w.add(
    [
      'Maatregel',
      'Voldoet',
      'Aantal',
      'Onbekend',
      'Leden',
      ...(from ? [`Voldoet ${formatQuarter(from)}`, 'Verandering (procentpunt)'] : []),
      ...sectors.map((s) => s.name),
    ],
    (row) => {
      bold(row);
      row.alignment = { wrapText: true, vertical: 'top' };
    },
  );
  const shareCol = from ? 8 : 6;
  for (const m of measures) {
    const change = 'changePoints' in m ? m : null;
    w.add(
      [
        m.name,
        shareCell(m.share),
        m.met,
        m.unknown,
        m.total,
        ...(from
          ? [
              shareCell(change?.from.share ?? null),
              change?.changePoints == null ? null : roundHalfAway(change.changePoints, 2),
            ]
          : []),
        ...m.sectors.map((s) => shareCell(s.share)),
      ],
      (row) => {
        row.getCell(2).numFmt = SHARE;
        if (from) {
          row.getCell(6).numFmt = SHARE;
          row.getCell(7).numFmt = POINTS;
        }
        for (let i = 0; i < m.sectors.length; i++) row.getCell(shareCol + i).numFmt = SHARE;
      },
    );
  }
  sheet.commit();
}

/** The targets block of the Analyse sheet: each target, its current value and whether it is on track. */
export function targetRows(
  targets: readonly Target[],
): Array<{ values: ExcelJS.CellValue[]; style?: (row: ExcelJS.Row) => void }> {
  if (targets.length === 0) return [];
  return [
    { values: ['Doelen', 'Streefwaarde', 'Nu', 'Gemeten in', 'Status', 'Toelichting'], style: bold },
    ...targets.map((t) => ({
      values: [
        t.description,
        formatTargetValue(t.kind, t.value),
        formatTargetValue(t.kind, t.current),
        formatQuarter(t.currentQuarter),
        t.statusText,
        [
          t.about,
          t.projected === null
            ? null
            : `doorgetrokken naar ${formatQuarter(t.quarter)}: ${formatTargetValue(t.kind, t.projected)}`,
        ]
          .filter((x) => x)
          .join('; '),
      ] as ExcelJS.CellValue[],
      style: (row: ExcelJS.Row) => {
        row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
        row.getCell(6).alignment = { wrapText: true, vertical: 'top' };
      },
    })),
    { values: [] },
  ];
}
