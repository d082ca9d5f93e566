package dev.ostiary.sampleapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sample resource server stands for a third-party API: it may depend on Ostiary only over HTTP.
 * This fails the build if any of its sources imports one of the server's classes.
 */
@Tag("unit")
class SampleApiIsolationTest {

    private static final Pattern OSTIARY_IMPORT = Pattern.compile("^import\\s+(static\\s+)?(dev\\.ostiary\\.[\\w.]+)",
            Pattern.MULTILINE);
    private static final String OWN_PACKAGE = "dev.ostiary.sample.resourceserver";

    @Test
    void sampleResourceServerImportsNothingFromTheServer() throws IOException {
        Path sources = Path.of("src/main/java/dev/ostiary/sample/resourceserver");
        assertThat(sources).isDirectory();
        List<String> violations;
        try (Stream<Path> files = Files.walk(sources)) {
            violations = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(file -> {
                        try {
                            Matcher imports = OSTIARY_IMPORT.matcher(Files.readString(file));
                            return imports.results().map(m -> m.group(2))
                                    .filter(name -> !name.startsWith(OWN_PACKAGE + "."))
                                    .map(name -> file.getFileName() + " imports " + name);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theCheckWouldSeeAServerImport() {
        Matcher matcher = OSTIARY_IMPORT.matcher("package x;\nimport dev.ostiary.keys.SigningKeySet;\n");
        assertThat(matcher.find()).isTrue();
        assertThat(matcher.group(2)).isEqualTo("dev.ostiary.keys.SigningKeySet");
    }
}
