/**
 * Where no native BLAS is found (a machine with only Node.js and npm), the
 * backend's reason line says what it costs and the one command that
 * installs one on this system (issue 18, pattern 5).
 */
import assert from "node:assert/strict";
import {
  blasInstallHint,
  NO_BLAS_SLOWDOWN,
  noBlasReason,
  searchBlas,
} from "../../lib/runtime/blas.ts";

const OS_RELEASE: Record<string, string> = {
  debian: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n',
  ubuntu: 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n',
  fedora: 'NAME="Fedora Linux"\nID=fedora\n',
  rocky: 'ID="rocky"\nID_LIKE="rhel centos fedora"\n',
  arch: "ID=arch\n",
  alpine: "ID=alpine\n",
  opensuse: 'ID="opensuse-leap"\nID_LIKE="suse opensuse"\n',
  unknown: "ID=plan9\n",
};

Deno.test("blas hint: the install command for each system", () => {
  const hint = (id: string) => blasInstallHint("linux", OS_RELEASE[id]);
  assert.equal(hint("debian"), "apt-get install libopenblas0-serial");
  assert.equal(hint("ubuntu"), "apt-get install libopenblas0-serial");
  assert.equal(hint("fedora"), "dnf install openblas-serial");
  assert.equal(hint("rocky"), "dnf install openblas-serial");
  assert.equal(hint("arch"), "pacman -S openblas");
  assert.equal(hint("alpine"), "apk add openblas");
  assert.equal(hint("opensuse"), "zypper install libopenblas_serial0");
  assert.equal(hint("unknown"), null);
  assert.equal(blasInstallHint("darwin"), "brew install openblas");
  assert.equal(blasInstallHint("windows"), null);
});

Deno.test("blas hint: the reason names the factor and the command, or what to install", () => {
  const reason = noBlasReason(13, "apt-get install libopenblas0-serial");
  assert.match(reason, /^no native BLAS library found \(tried 13 places\)/);
  assert.match(reason, new RegExp(`about ${NO_BLAS_SLOWDOWN}x as long`));
  assert.match(reason, /install one with: apt-get install libopenblas0-serial$/);
  assert.match(noBlasReason(2, null), /install a single-threaded OpenBLAS or BLIS/);
  assert.ok(NO_BLAS_SLOWDOWN >= 2 && NO_BLAS_SLOWDOWN <= 10);
});

Deno.test("blas hint: a search that finds nothing gives that reason", () => {
  const none = searchBlas(undefined, ["/nonexistent/libopenblas.so.0"]);
  assert.ok("reason" in none);
  assert.match(none.reason, /no native BLAS library found \(tried 1 places\), so runs take about/);
  assert.match(none.reason, /install/);
});
