// Public face of reports: status reports and pocket cards as HTML and PDF.
export { launchBrowser, resolveChromium } from './browser.js';
export { changeSentence, danishNumber, verdictSentence } from './danish.js';
export {
  gatherInequality,
  type InequalityData,
  type InequalityRow,
  renderInequalityHtml,
} from './inequality-report.js';
export { htmlToPdf } from './pdf.js';
export { closePdfQueue, queuePdf } from './pdf-queue.js';
export { MAX_POCKET_CARD_INDICATORS, renderPocketCard } from './pocket-card.js';
export { renderReportHtml } from './render-report.js';
export { gatherReport, type ReportData, type ReportTarget } from './report-data.js';
export { type ReportSummary, summariseReport } from './report-summary.js';
