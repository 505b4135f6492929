/**
 * PDF figures from the charts' SVG, for papers: through `rsvg-convert`
 * (Debian's `librsvg2-bin`, which `.ci/run` installs), vector output with
 * the text as text. Where the program is missing or may not be run (no
 * `--allow-run`), PDFs are skipped with one warning that says why and how
 * to get them; the report never fails for it.
 *
 * @module
 */

/** The converter's program name. */
export const RSVG_CONVERT = "rsvg-convert";

let warned = false;

function warnOnce(why: string): void {
  if (warned) return;
  warned = true;
  console.warn(
    `warning: PDF charts skipped: ${why} (install Debian's librsvg2-bin for rsvg-convert, and ` +
      "allow running it: --allow-run)",
  );
}

let available: Promise<string | null> | null = null;

/**
 * Whether `rsvg-convert` can be run here.
 *
 * @returns null when it can, else why not.
 */
export function pdfUnavailable(): Promise<string | null> {
  available ??= (async () => {
    try {
      const out = await new Deno.Command(RSVG_CONVERT, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      }).output();
      return out.success ? null : `${RSVG_CONVERT} --version exited ${out.code}`;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return `${RSVG_CONVERT} is not installed`;
      if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
        return `running ${RSVG_CONVERT} is not allowed`;
      }
      return e instanceof Error ? e.message.split("\n")[0] : String(e);
    }
  })();
  return available;
}

/**
 * Converts one SVG document to PDF bytes.
 *
 * @param svg The SVG markup.
 * @returns The PDF bytes, or null when the converter is unavailable (one
 *   warning per process) or fails on this SVG (a warning naming the error).
 */
export async function svgToPdf(svg: string): Promise<Uint8Array | null> {
  const why = await pdfUnavailable();
  if (why) {
    warnOnce(why);
    return null;
  }
  const child = new Deno.Command(RSVG_CONVERT, {
    args: ["--format", "pdf"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(svg));
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    console.warn(
      `warning: a PDF chart was not written: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
    return null;
  }
  return out.stdout;
}
