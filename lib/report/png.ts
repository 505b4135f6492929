/**
 * PNG from the charts' SVG through resvg (a native module, `npm:@resvg/resvg-js`).
 * Text is drawn in DejaVu Sans (Debian `fonts-dejavu-core`); without that
 * font, labels fall back to another system face. When the native module
 * cannot load (no `--allow-ffi`, an unsupported platform), PNGs are skipped
 * with one warning instead of failing the report.
 *
 * A report renders its PNGs in a worker ({@link PngRenderer}): rasterising
 * and PNG encoding take about as long as vega's SVG rendering, and the two
 * then run side by side.
 *
 * @module
 */

import { importResvg } from "../deps.ts";

export { pngSize } from "../io/mod.ts";

/** Options for {@link renderPng}. */
export interface PngOptions {
  /** Pixels per SVG pixel (default 2: sharp on screens and in print). */
  scale?: number;
}

/** The part of resvg's API used here. */
interface ResvgModule {
  Resvg: new (svg: string, options: Record<string, unknown>) => {
    render(): { asPng(): Uint8Array };
  };
}

/** The font every chart's text is drawn in. */
export const PNG_FONT = "DejaVu Sans";

let warned = false;

/** Prints the one warning of a process whose PNGs are skipped. */
function warnOnce(why: string): void {
  if (warned) return;
  warned = true;
  console.warn(`warning: PNG charts skipped: resvg could not load (${why})`);
}

function firstLine(e: unknown): string {
  return e instanceof Error ? e.message.split("\n")[0] : String(e);
}

let loaded: Promise<ResvgModule | string> | null = null;

/**
 * Loads resvg once.
 *
 * @returns The module, or the first line of the reason it cannot load.
 */
export function tryLoadResvg(): Promise<ResvgModule | string> {
  loaded ??= importResvg().then(
    (m) => m as unknown as ResvgModule,
    (e) => firstLine(e),
  );
  return loaded;
}

/**
 * Loads resvg once; null (and one warning line on stderr) when it cannot load.
 *
 * @returns The module, or null.
 */
export async function loadResvg(): Promise<ResvgModule | null> {
  const mod = await tryLoadResvg();
  if (typeof mod === "string") {
    warnOnce(mod);
    return null;
  }
  return mod;
}

/** resvg's options for a chart. */
export function resvgOptions(scale = 2): Record<string, unknown> {
  return {
    fitTo: { mode: "zoom", value: scale },
    font: { defaultFontFamily: PNG_FONT, sansSerifFamily: PNG_FONT, loadSystemFonts: true },
  };
}

/**
 * Renders an SVG document to PNG bytes, in this thread.
 *
 * @param svg The SVG markup (e.g. from `renderSvg`).
 * @param options Scale.
 * @returns The PNG bytes, or null when resvg is unavailable.
 */
export async function renderPng(svg: string, options: PngOptions = {}): Promise<Uint8Array | null> {
  const mod = await loadResvg();
  if (!mod) return null;
  return new mod.Resvg(svg, resvgOptions(options.scale)).render().asPng();
}

/** A request to the PNG worker. */
export interface PngRequest {
  id: number;
  svg: string;
  scale?: number;
}

/** The PNG worker's answer: the bytes, or why there are none. */
export interface PngReply {
  id: number;
  png?: Uint8Array;
  /** resvg could not load: no PNG will come. */
  unavailable?: string;
  /** This SVG failed to render. */
  error?: string;
}

/**
 * Renders many PNGs in a worker thread, so that the caller can render the
 * next chart's SVG meanwhile. Falls back to this thread when a worker cannot
 * start. Call {@link PngRenderer.close} when done.
 */
export class PngRenderer {
  #worker: Worker | null = null;
  #pending = new Map<number, (reply: PngReply) => void>();
  #next = 0;

  constructor() {
    try {
      this.#worker = new Worker(new URL("./png_worker.ts", import.meta.url).href, {
        type: "module",
      });
      this.#worker.onmessage = (e: MessageEvent<PngReply>) => {
        this.#pending.get(e.data.id)?.(e.data);
        this.#pending.delete(e.data.id);
      };
      this.#worker.onerror = (e) => {
        e.preventDefault();
        this.#fail(e.message);
      };
    } catch {
      this.#worker = null;
    }
  }

  /** Stops the worker; pending requests end without a PNG (with `why` as their error, if given). */
  #fail(why?: string): void {
    this.#worker?.terminate();
    this.#worker = null;
    for (const [id, resolve] of this.#pending) {
      resolve(why === undefined ? { id } : { id, error: why });
    }
    this.#pending.clear();
  }

  /**
   * Renders one SVG to PNG.
   *
   * @param svg The SVG markup.
   * @param options Scale.
   * @param name The chart's name, for a warning.
   * @returns The PNG bytes; null when resvg is unavailable (one warning per
   *   process) or this SVG failed (a warning naming the chart and the error).
   */
  async render(svg: string, options: PngOptions = {}, name = "chart"): Promise<Uint8Array | null> {
    if (!this.#worker) {
      try {
        return await renderPng(svg, options);
      } catch (e) {
        console.warn(`warning: ${name}.png not written: ${firstLine(e)}`);
        return null;
      }
    }
    const id = this.#next++;
    const reply = await new Promise<PngReply>((resolve) => {
      this.#pending.set(id, resolve);
      this.#worker!.postMessage({ id, svg, scale: options.scale } satisfies PngRequest);
    });
    if (reply.unavailable !== undefined) warnOnce(reply.unavailable);
    else if (reply.error !== undefined) {
      console.warn(`warning: ${name}.png not written: ${reply.error}`);
    }
    return reply.png ?? null;
  }

  /** Stops the worker; requests still pending end without a PNG, silently. */
  close(): void {
    this.#fail();
  }
}
