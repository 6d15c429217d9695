#!/usr/bin/env pwsh
# Thin wrapper, mirrored line for line by run-lab.sh: build once (Release), then hand every
# argument to the lab client. All logic lives in C# (lab-client), so the two scripts cannot drift.
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
dotnet build lab-client/Lab.Client.csproj -c Release --nologo -v quiet -clp:NoSummary; if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
& dotnet lab-client/bin/Release/net10.0/Lab.Client.dll @args; exit $LASTEXITCODE
