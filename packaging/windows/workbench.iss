; Inno Setup script of Training Workbench's Windows installer.
;
; Run by packaging/build.py after PyInstaller (Inno Setup 6's ISCC.exe), which passes:
;   /DAppVersion=0.1.0  /DDistDir=<repo>\dist\workbench  /DOutputDir=<repo>\dist\installers
;   /DOutputName=Workbench-0.1.0-windows-x64-setup  /DIconFile=<repo>\resources\icons\workbench.ico
;
; Installs for the current user, no administrator rights needed (into
; %LOCALAPPDATA%\Programs\Training Workbench), with a Start-menu entry and an uninstaller
; (Settings > Apps). An administrator may choose "all users" instead. Inno Setup, unlike NSIS,
; has no 2 GB limit on the payload: the CUDA variant fits too.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef DistDir
  #define DistDir "..\..\dist\workbench"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist\installers"
#endif
#ifndef OutputName
  #define OutputName "Workbench-" + AppVersion + "-windows-x64-setup"
#endif
#ifndef IconFile
  #define IconFile "..\..\resources\icons\workbench.ico"
#endif

#define AppName "Training Workbench"
#define AppExe "workbench.exe"

[Setup]
; The id ties upgrades and the uninstaller to this app: never change it.
AppId={{CC856792-99CB-43DE-A51F-AD86FB875F97}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Training Workbench
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user by default; "dialog" lets an administrator pick an install for all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename={#OutputName}
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
; Compressing a large payload needs memory; a separate process keeps ISCC within its limits.
LZMAUseSeparateProcess=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole bundle: files a newer version no longer ships must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
