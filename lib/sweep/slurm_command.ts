/**
 * Running Slurm's client commands (`sbatch`, `squeue`, `scontrol`,
 * `scancel`), and the error every Slurm step throws when Slurm is missing,
 * refuses a request, or answers something unreadable.
 *
 * @module
 */

/** Slurm is missing, refused a request, or its answer could not be read. */
export class SlurmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SlurmError";
  }
}

/** What a Slurm command printed. */
export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

const HINT =
  "install Slurm's client commands or run where they are (on this project's machines: scripts/slurm/start-local.sh)";

/** Runs a Slurm command; a missing command is a {@link SlurmError}. */
export async function slurmCommand(command: string, args: string[]): Promise<CommandOutput> {
  let out;
  try {
    out = await new Deno.Command(command, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new SlurmError(`${command} not found on PATH: --executor slurm needs it; ${HINT}`);
    }
    throw e;
  }
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** What a failed command said (its stderr, else its stdout, else its exit code), indented. */
export function describeOutput(out: CommandOutput): string {
  return (out.stderr.trim() || out.stdout.trim() || `exit code ${out.code}`).split("\n")
    .map((l) => `  ${l}`).join("\n");
}
