package callguide.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The platform")
class PlatformTest {

    @ParameterizedTest(name = "{0} on {1} is {2}")
    @CsvSource({
        "Linux, amd64, linux-x86_64",
        "Linux, aarch64, linux-aarch64",
        "Mac OS X, x86_64, macos-x86_64",
        "Mac OS X, aarch64, macos-aarch64",
        "Windows 11, amd64, windows-x86_64",
        "Windows Server 2022, amd64, windows-x86_64"
    })
    @DisplayName("maps os.name and os.arch to webrtc-java's classifier")
    void classifiers(String os, String arch, String classifier) {
        assertThat(Platform.of(os, arch).classifier())
                .as("the classifier of %s on %s", os, arch)
                .isEqualTo(classifier);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"Windows 11, aarch64", "Linux, riscv64", "FreeBSD, amd64", "SunOS, sparcv9"})
    @DisplayName("refuses a platform webrtc-java has no natives for, naming the supported ones")
    void unsupported(String os, String arch) {
        assertThatThrownBy(() -> Platform.of(os, arch))
                .as("%s on %s", os, arch)
                .isInstanceOf(WorkshopException.class)
                .hasMessageContaining("webrtc-java has no native library for " + os + " on " + arch)
                .hasMessageContaining("linux-x86_64, linux-aarch64, macos-x86_64, macos-aarch64, windows-x86_64");
    }

    @Nested
    @DisplayName("when checking what webrtc-java's native library needs")
    class Preflight {
        private final Machines.Fake machine = new Machines.Fake();

        @Test
        @DisplayName("on Linux, finds libpulse in ldconfig's cache")
        void linuxLdconfig() {
            machine.outputs.put(
                    "ldconfig -p", "\tlibpulse.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libpulse.so.0\n");
            Platform.of("Linux", "amd64").preflight(machine);
            assertThat(machine.ran).as("commands run when libpulse is there").isEmpty();
        }

        @Test
        @DisplayName("on Linux without ldconfig, finds libpulse in the usual lib directories")
        void linuxLibDirs() {
            machine.files.add(Path.of("/usr/lib/aarch64-linux-gnu/libpulse.so.0"));
            Platform.of("Linux", "aarch64").preflight(machine);
            assertThat(machine.ran).as("commands run when libpulse is there").isEmpty();
        }

        @Test
        @DisplayName("on Linux as root with apt-get, installs libpulse0 and says so")
        void linuxInstallsAsRoot() {
            machine.root = true;
            machine.programs.add("apt-get");
            Platform.of("Linux", "amd64").preflight(machine);
            assertThat(machine.said)
                    .as("what the learner is told")
                    .containsExactly("workshop: installing libpulse0 (webrtc-java's native library links PulseAudio's "
                            + "client library)");
            assertThat(machine.ran)
                    .as("the install")
                    .singleElement()
                    .asString()
                    .contains("apt-get install -y -qq libpulse0");
        }

        @Test
        @DisplayName("on Linux as root, a failed install is said")
        void linuxInstallFails() {
            machine.root = true;
            machine.programs.add("apt-get");
            machine.runSucceeds = false;
            assertThatThrownBy(() -> Platform.of("Linux", "amd64").preflight(machine))
                    .as("a failed apt-get")
                    .hasMessage("could not install libpulse0 with apt-get");
        }

        @Test
        @DisplayName("on Linux, not root, names the package to install")
        void linuxNamesThePackage() {
            machine.programs.add("apt-get");
            assertThatThrownBy(() -> Platform.of("Linux", "amd64").preflight(machine))
                    .as("no libpulse, not root")
                    .isInstanceOf(WorkshopException.class)
                    .hasMessage("webrtc-java needs PulseAudio's client library: install the package libpulse0 (sudo "
                            + "apt-get install libpulse0)");
            assertThat(machine.ran).as("nothing installed without root").isEmpty();
        }

        @Test
        @DisplayName("on Fedora, names Fedora's package")
        void fedora() {
            machine.programs.add("dnf");
            assertThatThrownBy(() -> Platform.of("Linux", "amd64").preflight(machine))
                    .as("no libpulse on a dnf machine")
                    .hasMessageContaining("pulseaudio-libs");
        }

        @Test
        @DisplayName("on macOS and Windows, needs nothing and looks for nothing")
        void macAndWindows() {
            Platform.of("Mac OS X", "aarch64").preflight(machine);
            Platform.of("Windows 10", "amd64").preflight(machine);
            assertThat(machine.ran).as("commands run on macOS and Windows").isEmpty();
            assertThat(machine.said).as("what was said on macOS and Windows").isEmpty();
        }
    }

    @Nested
    @DisplayName("when looking for Chromium")
    class ChromiumLookup {
        private final Machines.Fake machine = new Machines.Fake();

        @Test
        @DisplayName(
                "on Linux, takes Debian's /usr/bin/chromium and /usr/bin/chromedriver, or says how to install them")
        void linux() {
            Platform linux = Platform.of("Linux", "amd64");
            assertThat(linux.chromium(Map.of(), machine).whyNot())
                    .as("without them")
                    .isEqualTo(
                            "no /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver");
            machine.files.add(Path.of("/usr/bin/chromium"));
            machine.files.add(Path.of("/usr/bin/chromedriver"));
            assertThat(linux.chromium(Map.of(), machine).value())
                    .as("with them")
                    .isEqualTo(new Platform.Chromium(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromedriver")));
        }

        @Test
        @DisplayName("on macOS, takes an app bundle and chromedriver on PATH")
        void macos() {
            Path app = Path.of("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
            Path bin = Path.of("/opt/homebrew/bin");
            machine.files.add(app);
            Map<String, String> env = Map.of("PATH", bin.toString(), "HOME", "/Users/ada");
            Platform mac = Platform.of("Mac OS X", "aarch64");
            assertThat(mac.chromium(env, machine).present())
                    .as("a browser without a driver")
                    .isFalse();
            assertThat(mac.chromium(env, machine).whyNot()).as("why not").contains("chromedriver on PATH");
            machine.files.add(bin.resolve("chromedriver"));
            assertThat(mac.chromium(env, machine).value())
                    .as("the bundle and the driver")
                    .isEqualTo(new Platform.Chromium(app, bin.resolve("chromedriver")));
        }

        @Test
        @DisplayName("on Windows, looks in Program Files")
        void windows() {
            Platform windows = Platform.of("Windows 11", "amd64");
            Map<String, String> env = Map.of("ProgramFiles", "/pf", "PATH", "");
            machine.files.add(Path.of("/pf", "Google", "Chrome", "Application", "chrome.exe"));
            assertThat(windows.chromium(env, machine).whyNot())
                    .as("Chrome without chromedriver.exe")
                    .contains("Program Files", "chromedriver.exe on PATH");
        }
    }
}
