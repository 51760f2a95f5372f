#!/usr/bin/env bash
# Installerer Debian-pakkene som testene trenger, men bare de som mangler.
#
#   scripts/ensure-system-packages.sh                 alt testene trenger (listen under DEFAULT)
#   scripts/ensure-system-packages.sh postgresql ...  bare de nevnte pakkene
#
# Kjente pakker: postgresql, chromium, chromium-headless-shell (belastningsmålingen),
# fonts-dejavu-core, python3-venv, apache2,
# libapache2-mod-auth-openidc (innloggende proxy), nodejs (OIDC-leverandøren for utvikling).
set -euo pipefail

is_present() {
    case "$1" in
        postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ;;
        chromium) [[ -x /usr/bin/chromium ]] ;;
        chromium-headless-shell) [[ -x /usr/bin/chromium-headless-shell ]] ;;
        fonts-dejavu-core) [[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] ;;
        python3-venv) python3 -c 'import ensurepip, venv' >/dev/null 2>&1 ;;
        apache2) [[ -x /usr/sbin/apache2 ]] ;;
        libapache2-mod-auth-openidc) [[ -f /usr/lib/apache2/modules/mod_auth_openidc.so ]] ;;
        nodejs) command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ;;
        *)
            echo "ensure-system-packages: ukjent pakke: $1" >&2
            exit 2
            ;;
    esac
}

if [[ $# -eq 0 ]]; then
    set -- postgresql chromium fonts-dejavu-core apache2 libapache2-mod-auth-openidc nodejs
fi

missing=()
for pkg in "$@"; do
    is_present "$pkg" || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    {
        echo "Disse systempakkene mangler: ${missing[*]}"
        echo "Installer dem som root, for eksempel:"
        echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}"
        echo "og kjør kommandoen på nytt."
    } >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "Disse systempakkene mangler: ${missing[*]}, og apt-get finnes ikke her. Installer dem selv." >&2
    exit 1
fi

echo "Installerer systempakker som mangler: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q -o DPkg::Lock::Timeout=600)
apt-get "${apt_opts[@]}" update
apt-get "${apt_opts[@]}" install "${missing[@]}"

still_missing=()
for pkg in "${missing[@]}"; do
    is_present "$pkg" || still_missing+=("$pkg")
done
if [[ ${#still_missing[@]} -gt 0 ]]; then
    echo "Fortsatt mangler etter installasjon: ${still_missing[*]}" >&2
    exit 1
fi
