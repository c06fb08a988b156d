@echo off
rem callguide's one command on Windows: "workshop help" lists it (./workshop on Linux and macOS).
rem This launcher only checks that Java and Maven are there, builds the workshop's tools (tools\)
rem when they are missing or older than their sources, and runs them: every command is Java.
setlocal EnableExtensions
set "ROOT=%~dp0"
set "ROOT=%ROOT:~0,-1%"
cd /d "%ROOT%"
set "JAVA_HOW=winget install EclipseAdoptium.Temurin.17.JDK, or https://adoptium.net"
set "MVN_HOW=winget install Apache.Maven (or https://maven.apache.org/install.html)"

where java >nul 2>nul
if errorlevel 1 (
  echo workshop: Java 17 or newer is needed: %JAVA_HOW% 1>&2
  exit /b 2
)
set "JV="
for /f "tokens=2 delims==" %%v in ('java -XshowSettings:properties -version 2^>^&1 ^| findstr /c:"java.specification.version"') do set "JV=%%v"
if defined JV set "JV=%JV: =%"
set "JMAJOR="
if defined JV for /f "tokens=1 delims=." %%m in ("%JV%") do set "JMAJOR=%%m"
set /a JMAJOR_N=JMAJOR 2>nul
if not defined JMAJOR set "JMAJOR_N=0"
if %JMAJOR_N% LSS 17 (
  echo workshop: Java 17 or newer is needed, found '%JV%' 1>&2
  exit /b 2
)
where mvn >nul 2>nul
if errorlevel 1 (
  echo workshop: Maven 3.8 or newer is needed: %MVN_HOW% 1>&2
  exit /b 2
)

set "TOOLS=%ROOT%\tools\target\common"
set "STALE=1"
if exist "%TOOLS%\classpath.txt" if exist "%TOOLS%\classes" (
  java -cp "%TOOLS%\classes" callguide.tools.Stale "%ROOT%" && set "STALE=0"
)
if "%STALE%"=="0" goto run

set "MV="
for /f "tokens=3" %%v in ('call mvn -B -v 2^>nul ^| findstr /c:"Apache Maven"') do if not defined MV set "MV=%%v"
set "MVMAJOR=0"
set "MVMINOR=0"
if defined MV for /f "tokens=1,2 delims=." %%a in ("%MV%") do (
  set /a MVMAJOR=%%a 2>nul
  set /a MVMINOR=%%b 2>nul
)
set "OLD=0"
if %MVMAJOR% LSS 3 set "OLD=1"
if %MVMAJOR% EQU 3 if %MVMINOR% LSS 8 set "OLD=1"
if "%OLD%"=="1" (
  echo workshop: Maven 3.8 or newer is needed, found '%MV%': %MVN_HOW% 1>&2
  exit /b 2
)
if not exist "%ROOT%\.workshop" mkdir "%ROOT%\.workshop"
set "OFFLINE="
if defined CALLGUIDE_MAVEN_OFFLINE set "OFFLINE=-o"
rem A first run (Maven's local repository, as tools\...\Builds finds it, lacks picocli) downloads
rem first: said then only.
set "M2REPO=%USERPROFILE%\.m2\repository"
set "REPONEXT="
for %%o in (%MAVEN_OPTS%) do call :repoopt %%o
if exist "%M2REPO%\info\picocli\picocli\" (
  echo workshop: building the workshop's tools ^(once^) ... 1>&2
) else (
  echo workshop: building the workshop's tools ^(once^): a first run, so Maven downloads what they 1>&2
  echo   need first, about 82 MB of the 95 MB in all, into %M2REPO% ^(a minute or two^) ... 1>&2
)
call mvn -q -B -ntp %OFFLINE% -pl tools -am package -DskipTests > "%ROOT%\.workshop\build-tools.log" 2>&1
if errorlevel 1 (
  echo workshop: the build of the tools failed ^(%ROOT%\.workshop\build-tools.log^): 1>&2
  findstr /b /c:"[ERROR]" "%ROOT%\.workshop\build-tools.log" 1>&2
  exit /b 2
)

:run
set "CP="
for /f "usebackq delims=" %%c in ("%TOOLS%\classpath.txt") do set "CP=%%c"
java -Dcallguide.root="%ROOT%" -cp "%TOOLS%\classes;%CP%" callguide.tools.Workshop %*
exit /b %ERRORLEVEL%

rem One word of MAVEN_OPTS (cmd splits "-Dmaven.repo.local=DIR" at the "="): DIR follows that name.
:repoopt
if defined REPONEXT (
  set "M2REPO=%~1"
  set "REPONEXT="
  goto :eof
)
if /i "%~1"=="-Dmaven.repo.local" set "REPONEXT=1"
goto :eof
