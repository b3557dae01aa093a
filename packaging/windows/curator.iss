; Inno Setup 6.3+ script: the Windows setup program for Curator.
;
; Build the app folder first, then compile this with the app's version:
;   py tasks.py build
;   ISCC /DAppVersion=0.1.0 packaging\windows\curator.iss
; (`py packaging\build.py --installer` does the second step and passes the version.)
; The result is dist\Curator-<version>-setup.exe.
;
; By default it installs for the current user only (no administrator rights needed) into
; %LOCALAPPDATA%\Programs\Curator. For a machine-wide install IT can run it with /ALLUSERS
; (silently: Curator-<version>-setup.exe /VERYSILENT /ALLUSERS).
; Uninstalling removes the program only: people's libraries and settings (in %APPDATA%\Curator)
; are their work and are never touched.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z packaging\windows\curator.iss
#endif

#define AppName "Curator"
#define AppExe "Curator.exe"
#define AppFolder "..\..\dist\Curator"
#define IconFile "..\..\build\icons\curator.ico"

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{FCDCE6B0-4D70-47E4-8EA9-104BDC49A1FB}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Curator developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Curator-{#AppVersion}-setup
#if FileExists(AddBackslash(SourcePath) + IconFile)
SetupIconFile={#IconFile}
#endif
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program's files wholesale, so none of the old version's linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#AppFolder}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Keep your theme's research and practice links alive"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; curator: links (the bookmarklet on the Help page) open Curator's clip box.
Root: HKCU; Subkey: "Software\Classes\curator"; ValueType: string; ValueName: ""; ValueData: "URL:Curator"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\curator"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\curator\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
