#!/usr/bin/env bash
# Thin wrapper, mirrored line for line by run-lab.ps1: build once (Release), then hand every
# argument to the lab client. All logic lives in C# (lab-client), so the two scripts cannot drift.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build lab-client/Lab.Client.csproj -c Release --nologo -v quiet -clp:NoSummary
exec dotnet lab-client/bin/Release/net10.0/Lab.Client.dll "$@"
