/**
 * The worker behind `PngRenderer`: renders SVG to PNG with resvg, one
 * request at a time, and posts the bytes back.
 *
 * @module
 */
import { type PngReply, type PngRequest, resvgOptions, tryLoadResvg } from "./png.ts";

/** The worker's global scope, as far as it is used here (no worker lib needed). */
interface Scope {
  onmessage: ((e: MessageEvent<PngRequest>) => void) | null;
  postMessage(reply: PngReply, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as Scope;

scope.onmessage = async (e) => {
  const { id, svg, scale } = e.data;
  const mod = await tryLoadResvg();
  if (typeof mod === "string") {
    scope.postMessage({ id, unavailable: mod });
    return;
  }
  try {
    const png = new Uint8Array(new mod.Resvg(svg, resvgOptions(scale)).render().asPng());
    scope.postMessage({ id, png }, [png.buffer]);
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
