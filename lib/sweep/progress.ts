/**
 * Sweep progress. On a terminal: an overall bar with done/failed/running
 * counts and an ETA, plus one line per active run (step, a key metric),
 * redrawn in place. Without a terminal (CI, logs): one plain line per run
 * start and end. Quiet: nothing.
 *
 * @module
 */
import type { RunPlan } from "../spec/mod.ts";
import type { MetricRow } from "../gan/train.ts";
import type { RunStatus } from "./store.ts";
import type { SchedulerEvents } from "./scheduler.ts";

/** How to show progress. */
export type ProgressMode = "tty" | "lines" | "quiet";

/** Metrics shown for an active run, the first present wins. */
const KEY_METRICS = ["d_gap", "js", "modes", "value"];

function keyMetric(row: MetricRow | undefined): string {
  if (!row) return "";
  const k = KEY_METRICS.find((m) => row[m] !== undefined);
  return k ? `${k}=${Number(row[k]).toPrecision(3)}` : "";
}

/** A short label: run id and swept values. */
export function planLabel(plan: RunPlan): string {
  const parts = Object.entries(plan.point).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${plan.id} (${[...parts, `seed=${plan.seed}`].join(", ")})`;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Counts by state, e.g. `2 RUNNING, 1 PENDING`. */
export function countStates(states: string[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([k, v]) => `${v} ${k}`).join(", ");
}

/** Progress of one sweep; its `events` plug into the scheduler. */
export class Progress {
  #mode: ProgressMode;
  #total: number;
  #counts = { done: 0, failed: 0, diverged: 0, skipped: 0 };
  #active = new Map<string, { plan: RunPlan; row?: MetricRow; attempt: number }>();
  #t0 = performance.now();
  #lines = 0;
  #lastDraw = 0;
  #write: (s: string) => void;

  constructor(mode: ProgressMode, total: number, write?: (s: string) => void) {
    this.#mode = mode;
    this.#total = total;
    const enc = new TextEncoder();
    this.#write = write ?? ((s) => Deno.stdout.writeSync(enc.encode(s)));
  }

  /** Plain line output (always, also on a terminal: above the live block). */
  log(line: string): void {
    if (this.#mode === "quiet") return;
    this.#clear();
    this.#write(line + "\n");
    this.#draw(true);
  }

  /** The scheduler events. */
  get events(): SchedulerEvents {
    return {
      onSkip: (plan, s) => {
        this.#counts.skipped++;
        if (this.#mode === "lines") this.log(`skip ${plan.id}: already ${s.state}`);
      },
      onStart: (plan, attempt) => {
        this.#active.set(plan.id, { plan, attempt });
        if (this.#mode === "lines") {
          this.log(`start ${planLabel(plan)}${attempt > 1 ? ` attempt ${attempt}` : ""}`);
        } else this.#draw(true);
      },
      onEval: (plan, row) => {
        const a = this.#active.get(plan.id);
        if (a) a.row = row;
        this.#draw(false);
      },
      onRetry: (plan, s, delay) => {
        this.#active.delete(plan.id);
        this.log(
          `retry ${plan.id} in ${(delay / 1000).toFixed(1)} s: ${s.state}: ${
            (s.error ?? "").split("\n")[0]
          }`,
        );
      },
      onEnd: (plan, s: RunStatus) => {
        this.#active.delete(plan.id);
        if (s.state === "done") this.#counts.done++;
        else if (s.state === "diverged") this.#counts.diverged++;
        else if (s.state === "failed" || s.state === "timeout") this.#counts.failed++;
        const secs = s.seconds !== undefined ? ` in ${s.seconds.toFixed(1)} s` : "";
        const why = s.state === "done" ? "" : `: ${(s.error ?? s.note ?? "").split("\n")[0]}`;
        this.log(`${s.state} ${planLabel(plan)}${secs}${why}`);
      },
    };
  }

  /** Erases the live block (before exiting). */
  finish(): void {
    this.#clear();
  }

  #clear() {
    if (this.#mode !== "tty" || this.#lines === 0) return;
    this.#write(`\x1b[${this.#lines}A\x1b[J`);
    this.#lines = 0;
  }

  #draw(force: boolean) {
    if (this.#mode !== "tty") return;
    const now = performance.now();
    if (!force && now - this.#lastDraw < 100) return;
    this.#lastDraw = now;
    this.#clear();
    const c = this.#counts;
    const settled = c.done + c.failed + c.diverged;
    let fraction = settled;
    for (const a of this.#active.values()) {
      fraction += Math.min(1, (a.row?.step ?? 0) / a.plan.config.steps);
    }
    const todo = this.#total - c.skipped;
    const share = todo > 0 ? fraction / todo : 1;
    const elapsed = (now - this.#t0) / 1000;
    const eta = share > 0.01 ? elapsed * (1 - share) / share : NaN;
    const width = 30;
    const filled = Math.round(width * Math.min(1, share));
    const lines = [
      `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${settled + c.skipped}/${this.#total}` +
      ` done ${c.done + c.skipped} failed ${c.failed} diverged ${c.diverged}` +
      ` running ${this.#active.size}  elapsed ${duration(elapsed)} eta ${duration(eta)}`,
    ];
    for (const a of this.#active.values()) {
      lines.push(
        `  ${planLabel(a.plan)} step ${a.row?.step ?? 0}/${a.plan.config.steps} ${
          keyMetric(a.row)
        }`,
      );
    }
    const cols = Deno.stdout.isTerminal() ? Deno.consoleSize().columns : 200;
    this.#write(lines.map((l) => l.slice(0, cols - 1)).join("\n") + "\n");
    this.#lines = lines.length;
  }
}
