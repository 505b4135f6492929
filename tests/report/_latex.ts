/**
 * Compiling a report's `tables.tex` the way a paper would: `\input` into a
 * plain A4 `article` with 2.5 cm margins that loads only booktabs, siunitx
 * and amsmath, with pdflatex (Debian's texlive-latex-base,
 * texlive-latex-recommended and texlive-science; `.ci/run` installs them).
 *
 * @module
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

/** pdflatex, where TeX is installed. */
export const PDFLATEX = "/usr/bin/pdflatex";

/** Whether pdflatex and siunitx are installed. */
export const HAVE_TEX = existsSync(PDFLATEX) &&
  existsSync("/usr/share/texlive/texmf-dist/tex/latex/siunitx/siunitx.sty");

/** The paper: A4, 2.5 cm margins set by hand (no geometry package), three packages. */
export const PAPER = [
  "\\documentclass[a4paper]{article}",
  "\\usepackage{booktabs}",
  "\\usepackage{siunitx}",
  "\\usepackage{amsmath}",
  "% A4 is 210 x 297 mm: 2.5 cm margins leave 160 x 247 mm.",
  "\\setlength{\\textwidth}{160mm}",
  "\\setlength{\\oddsidemargin}{\\dimexpr25mm-1in\\relax}",
  "\\setlength{\\evensidemargin}{\\oddsidemargin}",
  "\\setlength{\\topmargin}{\\dimexpr25mm-1in\\relax}",
  "\\setlength{\\headheight}{0pt}",
  "\\setlength{\\headsep}{0pt}",
  "\\setlength{\\textheight}{247mm}",
  "\\begin{document}",
  "\\input{tables.tex}",
  "\\end{document}",
  "",
].join("\n");

/**
 * Compiles `tables` into the paper above and fails on a LaTeX error or an
 * overfull box (a table wider than the text, or text sticking out of a cell).
 *
 * @param tables Path of a `tables.tex`.
 * @returns The log.
 */
export async function compileTables(tables: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "tables-tex-"));
  try {
    copyFileSync(tables, join(dir, "tables.tex"));
    writeFileSync(join(dir, "paper.tex"), PAPER);
    const out = await new Deno.Command(PDFLATEX, {
      args: ["-interaction=nonstopmode", "-halt-on-error", "paper.tex"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const log = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, log.slice(-3000));
    assert.ok(!/^! /m.test(log), log);
    const overfull = log.split("\n").filter((l) => l.startsWith("Overfull"));
    assert.deepEqual(overfull, [], `overfull boxes in ${tables}`);
    assert.ok(existsSync(join(dir, "paper.pdf")));
    return log;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
