# Installs the waypoint binary for Windows (x64), without admin rights:
#
#   irm https://raw.githubusercontent.com/waypoint-codex/waypoint/main/install.ps1 | iex
#   $env:WAYPOINT_VERSION = "1.2.0"; irm .../install.ps1 | iex   # a specific version
#   powershell -File install.ps1 1.2.0                            # from a file
#
# The same flow as install.sh: the binary comes from the npm package
# waypoint-codex-windows-x64 (the one `npm install -g waypoint-codex` and
# `waypoint upgrade` use); its sha512 integrity is checked; the binary is
# staged next to the target, run once, then moved into place. Running the
# script again upgrades in place.
#
# Environment:
#   WAYPOINT_VERSION   version to install (default: latest); an argument wins
#   WAYPOINT_INSTALL   install root (default: ~\.waypoint); binary in bin\
#   WAYPOINT_REGISTRY  npm registry URL (default: https://registry.npmjs.org)
#   WAYPOINT_OS, WAYPOINT_ARCH  override platform detection (for tests)
#
# Works in Windows PowerShell 5.1 and PowerShell 7. Needs tar.exe, which
# Windows 10 (1803) and later include. Any failure prints one line starting
# with "waypoint-install:" and leaves the previous install as it was.

param([string]$Version = "")

$ErrorActionPreference = "Stop"
# The progress bar makes Invoke-WebRequest many times slower on 5.1.
$ProgressPreference = "SilentlyContinue"

$Package = "waypoint-codex"
$DefaultRegistry = "https://registry.npmjs.org"

# Failures we expect carry this type so the top level can print them as
# one line; anything else is reported the same way, but is a bug.
class InstallError : System.Exception {
  InstallError([string]$message) : base($message) {}
}

# Credentials in a URL (https://user:pw@host/) are shown as ***.
function Hide-Credentials([string]$Text) {
  return $Text -replace '://[^/@\s]*@', '://***@'
}

function Fail([string]$Message) {
  throw [InstallError]::new((Hide-Credentials $Message))
}

function Get-Platform {
  $os = if ($env:WAYPOINT_OS) { $env:WAYPOINT_OS } else { "windows" }
  if ($os -notin @("windows", "Windows_NT", "win32")) {
    Fail "this script is for Windows; on Linux and macOS run install.sh"
  }
  $arch = $env:WAYPOINT_ARCH
  if (-not $arch) {
    # 32-bit PowerShell on 64-bit Windows reports x86 here and the real
    # architecture in PROCESSOR_ARCHITEW6432.
    $arch = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE }
  }
  switch -Regex ($arch) {
    "^(AMD64|x64|x86_64)$" { return "windows-x64" }
    # Windows 11 on ARM runs x64 programs under emulation.
    "^(ARM64|arm64|aarch64)$" { return "windows-x64" }
    default { Fail "unsupported CPU architecture: $arch (waypoint for Windows runs on x64, and on arm64 through emulation)" }
  }
}

function Get-File([string]$Url, [string]$OutFile, [string]$Hint = "") {
  try {
    Invoke-WebRequest -Uri $Url -OutFile $OutFile -UseBasicParsing -TimeoutSec 60
  } catch {
    $response = $null
    if ($_.Exception.PSObject.Properties["Response"]) { $response = $_.Exception.Response }
    if ($response) {
      $suffix = if ($Hint) { " ($Hint)" } else { "" }
      Fail "the registry answered $Url with HTTP $([int]$response.StatusCode)$suffix"
    }
    Fail "could not download $Url (network error; check your connection or WAYPOINT_REGISTRY)"
  }
}

function Read-Json([string]$Path, [string]$Url) {
  try {
    return Get-Content -Raw -LiteralPath $Path | ConvertFrom-Json
  } catch {
    Fail "the registry sent something that is not JSON for $Url"
  }
}

function Get-InstalledVersion([string]$Exe) {
  if (-not (Test-Path -LiteralPath $Exe)) { return "" }
  # With "Stop", Windows PowerShell turns any stderr line of a native
  # program into a terminating error; here only stdout and success matter.
  $ErrorActionPreference = "Continue"
  try {
    return ((& $Exe --version 2>$null) | Select-Object -First 1)
  } catch {
    return ""
  }
}

function Expand-Binary([string]$Tarball, [string]$Dir) {
  $ErrorActionPreference = "Continue"
  & tar.exe -xzf $Tarball -C $Dir "package/bin/waypoint.exe" 2>$null | Out-Null
  return ($LASTEXITCODE -eq 0)
}

function Show-PathHint([string]$BinDir) {
  $userPath = [Environment]::GetEnvironmentVariable("Path", "User")
  $onPath = ($env:Path -split ";") + ($userPath -split ";") | Where-Object { $_ -and ($_.TrimEnd("\") -eq $BinDir.TrimEnd("\")) }
  if ($onPath) {
    Write-Host "Run: waypoint --help"
    return
  }
  Write-Host ""
  Write-Host "$BinDir is not on your PATH. To add it for your user, run:"
  Write-Host "  [Environment]::SetEnvironmentVariable('Path', '$BinDir;' + [Environment]::GetEnvironmentVariable('Path', 'User'), 'User')"
  Write-Host "then open a new terminal and run: waypoint --help"
}

function Install-Waypoint([string]$Requested) {
  $platform = Get-Platform
  $platformPackage = "$Package-$platform"

  # Older Windows PowerShell may not offer TLS 1.2 unless asked.
  if ($PSVersionTable.PSVersion.Major -lt 6) {
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
  }

  $registry = if ($env:WAYPOINT_REGISTRY) { $env:WAYPOINT_REGISTRY } else { $DefaultRegistry }
  $registry = $registry.TrimEnd("/")
  if (-not $Requested) { $Requested = if ($env:WAYPOINT_VERSION) { $env:WAYPOINT_VERSION } else { "latest" } }
  $Requested = $Requested -replace "^v", ""
  $root = if ($env:WAYPOINT_INSTALL) { $env:WAYPOINT_INSTALL } else { Join-Path $HOME ".waypoint" }
  $binDir = Join-Path $root "bin"
  $target = Join-Path $binDir "waypoint.exe"

  $tmp = Join-Path ([IO.Path]::GetTempPath()) ("waypoint-install-" + [Guid]::NewGuid().ToString("N"))
  New-Item -ItemType Directory -Path $tmp | Out-Null
  $staged = Join-Path $binDir ".waypoint.$PID.tmp.exe"
  try {
    # "latest" means the main package's tag: platform packages are published
    # first, so theirs may run ahead of a release that failed half-way.
    if ($Requested -eq "latest") {
      $url = "$registry/$Package/latest"
      Get-File $url (Join-Path $tmp "main.json") "is $Package published there?"
      $version = (Read-Json (Join-Path $tmp "main.json") $url).version
      if (-not $version) { Fail "could not read the latest version from $url" }
    } else {
      $version = $Requested
    }

    $current = Get-InstalledVersion $target
    if ($current -eq $version) {
      Write-Host "waypoint $version is already installed at $target"
      Show-PathHint $binDir
      return
    }

    Write-Host (Hide-Credentials "Installing waypoint $version ($platform) from $registry")
    $url = "$registry/$platformPackage/$version"
    Get-File $url (Join-Path $tmp "meta.json") "does version $version of $platformPackage exist?"
    $dist = (Read-Json (Join-Path $tmp "meta.json") $url).dist
    if (-not $dist -or -not $dist.tarball) { Fail "no dist.tarball in the metadata of $platformPackage@$version" }
    $integrity = ([string]$dist.integrity -split " ")[0]
    if (-not $integrity.StartsWith("sha512-")) { Fail "no sha512 integrity in the metadata of $platformPackage@$version" }

    $tgz = Join-Path $tmp "package.tgz"
    Get-File $dist.tarball $tgz
    try {
      $expected = [Convert]::FromBase64String($integrity.Substring(7))
    } catch {
      Fail "malformed integrity value for $platformPackage@${version}: $integrity"
    }
    $sha = [Security.Cryptography.SHA512]::Create()
    try { $actual = $sha.ComputeHash([IO.File]::ReadAllBytes($tgz)) } finally { $sha.Dispose() }
    if ([Convert]::ToBase64String($actual) -ne [Convert]::ToBase64String($expected)) {
      Fail "checksum mismatch for $($dist.tarball): the download is corrupt or was tampered with; nothing was installed"
    }

    if (-not (Get-Command tar.exe -ErrorAction SilentlyContinue)) {
      Fail "tar.exe is missing (it ships with Windows 10 1803 and later)"
    }
    $extracted = Join-Path $tmp "package\bin\waypoint.exe"
    if (-not (Expand-Binary $tgz $tmp) -or -not (Test-Path -LiteralPath $extracted)) {
      Fail "$($dist.tarball) does not contain package/bin/waypoint.exe"
    }

    try {
      New-Item -ItemType Directory -Force -Path $binDir | Out-Null
      Copy-Item -LiteralPath $extracted -Destination $staged -Force
    } catch {
      Fail "cannot write to ${binDir}: $($_.Exception.Message)"
    }
    $reported = Get-InstalledVersion $staged
    if ($reported -ne $version) {
      $shown = if ($reported) { $reported } else { "nothing" }
      Fail "the downloaded binary does not run here (it reported '$shown', expected $version)"
    }

    # A running .exe cannot be overwritten but can be renamed: move the old
    # one aside, put the new one in place, and restore the old on failure.
    $old = "$target.old"
    if (Test-Path -LiteralPath $target) {
      Remove-Item -LiteralPath $old -Force -ErrorAction SilentlyContinue
      Move-Item -LiteralPath $target -Destination $old -Force
    }
    try {
      Move-Item -LiteralPath $staged -Destination $target -Force
    } catch {
      if (Test-Path -LiteralPath $old) { Move-Item -LiteralPath $old -Destination $target -Force }
      Fail "cannot replace ${target}: $($_.Exception.Message)"
    }
    Remove-Item -LiteralPath $old -Force -ErrorAction SilentlyContinue

    if ($current) {
      Write-Host "Updated waypoint $current -> $version at $target"
    } else {
      Write-Host "Installed waypoint $version at $target"
    }
    Show-PathHint $binDir
  } finally {
    Remove-Item -LiteralPath $staged -Force -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
  }
}

try {
  Install-Waypoint $Version
} catch {
  [Console]::Error.WriteLine("waypoint-install: $($_.Exception.Message)")
  # Under `irm | iex` there is no script to exit from: `exit` would close
  # the user's PowerShell window, so only set the exit code there.
  if ($PSCommandPath) { exit 1 }
  $global:LASTEXITCODE = 1
}
