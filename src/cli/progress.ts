// Progress on stderr: on a terminal a bar redrawn in place with the step, the share done and the time left;
// in a pipe or CI plain lines, one per step (or per tenth of the work), so logs stay short and readable.

/** Where progress goes: stderr by default; tests pass their own. */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  output?: ProgressOutput;
  /** Milliseconds since some fixed moment (default: performance.now). */
  now?: () => number;
}

const BAR_WIDTH = 30;

/** "about 1 min 20 s left" for a number of seconds. */
export function formatTimeLeft(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `about ${s} s left`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `about ${minutes} min ${s % 60} s left`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/**
 * A display of a share of work done (0-1) with the current step's name and a detail (such as counts). Time left
 * is estimated from the time so far once a little of the work is done. Plain lines come at each new step and
 * each tenth of the work.
 * @example const show = progressDisplay('Computing'); show(0.25, 'Reading hospital_courses.parquet');
 */
export function progressDisplay(
  label: string,
  options: ProgressOptions = {},
): (share: number, step?: string, detail?: string) => void {
  const output = options.output ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const started = now();
  let lastStep: string | undefined;
  let lastTenth = -1;
  let finished = false;
  return (share, step, detail) => {
    if (finished) return;
    const done = Math.min(1, Math.max(0, share));
    const percent = Math.floor(done * 100);
    const elapsed = (now() - started) / 1000;
    const left = done >= 0.02 && done < 1 && elapsed >= 1 ? formatTimeLeft((elapsed * (1 - done)) / done) : undefined;
    const text = [step, detail, left].filter(Boolean).join(' · ');
    if (output.isTTY) {
      const filled = Math.round(done * BAR_WIDTH);
      output.write(
        `\r${label} [${'='.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ${String(percent).padStart(3)}%${text ? ` ${text}` : ''}\x1b[K`,
      );
      if (done >= 1) output.write('\n');
    } else {
      const tenth = Math.floor(done * 10);
      if (step === lastStep && tenth === lastTenth && done < 1) return;
      output.write(`${label}: ${percent}%${text ? ` ${text}` : ''}\n`);
      lastTenth = tenth;
    }
    lastStep = step;
    if (done >= 1) finished = true;
  };
}

/** Returns a callback that shows `done/total` (e.g. persons written, reports made) as progress with a label. */
export function progressBar(label: string, options: ProgressOptions = {}): (done: number, total: number) => void {
  const show = progressDisplay(label, options);
  let lastPercent = -1;
  return (done, total) => {
    const share = total > 0 ? done / total : 1;
    const percent = Math.floor(share * 100);
    if (percent === lastPercent) return;
    lastPercent = percent;
    show(share, undefined, `${done.toLocaleString('da-DK')}/${total.toLocaleString('da-DK')}`);
  };
}

/** Prints a step message on stderr. */
export function step(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** A callback for work reported as steps with the share done (the engine's `onProgress`). */
export function stepProgress(label: string, options: ProgressOptions = {}): (step: string, share: number) => void {
  const show = progressDisplay(label, options);
  return (step, share) => show(share, step);
}
