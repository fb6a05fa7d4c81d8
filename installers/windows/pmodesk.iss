; Inno Setup script over the PyInstaller one-folder build (dist\pmodesk). NOT TESTED: written on Linux.
; Build on Windows: see installers/README.md ("Windows").
#define AppName "pmodesk"
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppName={#AppName}
AppVersion={#AppVersion}
DefaultDirName={autopf}\pmodesk
DefaultGroupName=pmodesk
OutputDir=..\..\dist
OutputBaseFilename=pmodesk-{#AppVersion}-setup
ChangesAssociations=yes
Compression=lzma2
SolidCompression=yes

[Files]
Source: "..\..\dist\pmodesk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\pmodesk"; Filename: "{app}\pmodesk.exe"; Parameters: "open"
Name: "{group}\Uninstall pmodesk"; Filename: "{uninstallexe}"

[Registry]
Root: HKA; Subkey: "Software\Classes\.pmodesk"; ValueType: string; ValueData: "pmodesk.portfolio"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\pmodesk.portfolio"; ValueType: string; ValueData: "pmodesk portfolio"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\pmodesk.portfolio\DefaultIcon"; ValueType: string; ValueData: "{app}\pmodesk.exe,0"
Root: HKA; Subkey: "Software\Classes\pmodesk.portfolio\shell\open\command"; ValueType: string; ValueData: """{app}\pmodesk.exe"" open ""%1"""
