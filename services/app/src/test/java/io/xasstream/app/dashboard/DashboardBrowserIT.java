package io.xasstream.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.xasstream.app.DemoOutput;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a person sees it, on `./xasstream demo` (embedded broker, the services, both demo series) with a
 * token set: both samples in the picker, the oxidation-state chart gaining points, an alert marker after the
 * reduction step, another sample's charts on switching; and without the token, 401 on every route.
 */
class DashboardBrowserIT {
    static final String TOKEN = "it-dashboard-token";
    static final Path SHOTS = Path.of("target", "dashboard-screenshots");

    @Test
    void aPersonSeesBothSamplesLivePointsAnAlertAfterTheReductionAndAnotherSampleOnSwitching(@TempDir Path tmp)
            throws Exception {
        DemoOutput run = new DemoOutput();
        // 3 spectra/s per series, each pass a new experiment: the Cu reduction step (spectra ~45-60) ~20 s into one
        FutureTask<Integer> demo = new FutureTask<>(() -> run.run("--duration", "300", "--set", "demo.rate=3",
                "--set", "dashboard.token=" + TOKEN));
        Thread demoThread = new Thread(demo, "demo");
        demoThread.start();
        try {
            String login = run.await(demo, Pattern.compile("dashboard\\s+: (\\S+)"));
            String printed = run.out.toString();
            assertThat(printed.indexOf("http://")).as("the dashboard is the first URL printed")
                    .isEqualTo(printed.indexOf(login));
            assertThat(login).endsWith("/login");
            String base = login.substring(0, login.length() - "/login".length());

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            checkTheTokenGuardsEveryRoute(http, base);
            checkEventsStreamResultsWithinFiveSeconds(base);

            assumeTrue(Browser.installed(), "needs Debian's chromium and chromium-driver (.ci/run installs them)");
            Files.createDirectories(SHOTS);
            ChromeDriver browser = Browser.start(tmp.resolve("chromium"));
            try {
                browse(browser, base);
            } finally {
                browser.quit();
            }
        } finally {
            demoThread.interrupt(); // the demo closes its services and the broker
            demoThread.join(90_000);
        }
        assertThat(demoThread.isAlive()).as("demo stopped").isFalse();
    }

    private static void checkTheTokenGuardsEveryRoute(HttpClient http, String base) throws Exception {
        for (String path : List.of("/", "/index.html", "/events", "/js/main.js", "/samples",
                "/webjars/uplot/1.6.30/dist/uPlot.esm.js", "/api/replays", "/no-such-file")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET %s without the token", path).isEqualTo(401);
        }
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .header("Authorization", "Bearer not-the-token").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/events"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).as("read-only").isEqualTo(405);
        HttpResponse<String> ask = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ask.statusCode()).isEqualTo(401);
        assertThat(ask.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Basic"));
        String basic = Base64.getEncoder().encodeToString(("beamline:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).isEqualTo(303);
        String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain(TOKEN);
        String session = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .header("Cookie", "xas_session=" + session).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("default-src 'self'"));
        assertThat(page.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(page.body()).contains("<script type=\"module\" src=\"/js/main.js\">").doesNotContain("style=")
                .doesNotContain("onclick");
    }

    /** What `curl -N /events` shows: event and data lines of results within 5 s. */
    private static void checkEventsStreamResultsWithinFiveSeconds(String base) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000; // the models load first
        while (System.currentTimeMillis() < deadline) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            var response = http.send(HttpRequest.newBuilder(URI.create(base + "/events"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("text/event-stream"));
            long until = System.currentTimeMillis() + 5_000;
            var lines = response.body().iterator();
            boolean event = false;
            while (System.currentTimeMillis() < until && lines.hasNext()) {
                String line = lines.next();
                event |= line.equals("event: batch");
                if (event && line.startsWith("data: ") && line.contains("\"spectrumId\"")) {
                    response.body().close();
                    return;
                }
            }
            response.body().close();
        }
        throw new AssertionError("no result events on /events");
    }

    private static void browse(ChromeDriver browser, String base) throws Exception {
        // a person logs in once: the browser answers /login's Basic challenge, gets the cookie and is sent to /
        browser.get(base.replace("http://", "http://beamline:" + TOKEN + "@") + "/login");
        assertThat(browser.getCurrentUrl()).as("sent on to the page").endsWith("127.0.0.1:" + URI.create(base)
                .getPort() + "/");
        assertThat(browser.manage().getCookieNamed("xas_session")).isNotNull()
                .satisfies(c -> assertThat(c.isHttpOnly()).isTrue());
        browser.manage().logs().get(LogType.BROWSER); // (that page's own requests carried the credentials)
        browser.get(base + "/"); // the page by its plain address: the cookie alone lets it in
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90), Duration.ofMillis(250));
        wait.ignoring(StaleElementReferenceException.class);

        // the picker lists both demo samples
        wait.until(d -> options(d).stream().anyMatch(t -> t.startsWith("cu-reduction"))
                && options(d).stream().anyMatch(t -> t.startsWith("fe-reduction")));
        // the oxidation-state chart of the newest Cu experiment gains points over 10 s (on a busy machine results
        // may come in bursts and a pass may be complete by then: then the next pass is watched)
        String experiment = null;
        int before = 0;
        int after = 0;
        for (int attempt = 0; attempt < 6 && after <= before; attempt++) {
            String previous = experiment;
            experiment = wait.until(d -> options(d).stream().filter(t -> t.startsWith("cu-reduction")).findFirst()
                    .filter(t -> spectra(t) < 100).map(t -> t.split(" \u00b7 ")[1])
                    .filter(e -> !e.equals(previous)).orElse(null));
            String chosen = experiment;
            choose(browser, "cu-reduction \u00b7 " + chosen + " \u00b7");
            wait.until(d -> attr(d, "card-ox", "data-sample").equals(chosen + "/cu-reduction")
                    && d.findElement(By.id("sum-element")).getText().startsWith("Cu") && points(d) > 0);
            before = points(browser);
            Thread.sleep(10_000);
            after = points(browser);
        }
        assertThat(after).as("oxidation-state points after 10 s").isGreaterThan(before);

        // after the reduction step: an oxidation-state alert in the list and its marker on the charts
        wait.until(d -> d.findElements(By.cssSelector("#alerts li")).stream()
                .anyMatch(li -> li.getText().startsWith("oxidation state")));
        wait.until(d -> Integer.parseInt(attr(d, "chart-ox", "data-alerts")) >= 1);
        assertThat(Integer.parseInt(attr(browser, "chart-cn", "data-alerts"))).isGreaterThanOrEqualTo(1);
        Thread.sleep(1_000); // let the last frame paint
        shoot(browser, "dashboard-cu-reduction.png");

        // switching sample changes the charts
        byte[] cuChart = browser.findElement(By.id("chart-ox")).getScreenshotAs(OutputType.BYTES);
        choose(browser, "fe-reduction");
        wait.until(d -> d.findElement(By.id("sum-element")).getText().startsWith("Fe")
                && attr(d, "card-ox", "data-sample").endsWith("/fe-reduction") && points(d) > 0);
        Thread.sleep(1_000);
        assertThat(browser.findElement(By.id("chart-ox")).getScreenshotAs(OutputType.BYTES)).as("the chart redrawn")
                .isNotEqualTo(cuChart);
        shoot(browser, "dashboard-fe-reduction.png");

        // a strict Content-Security-Policy held: nothing on the page was blocked
        List<LogEntry> logs = browser.manage().logs().get(LogType.BROWSER).getAll();
        assertThat(logs).noneMatch(e -> e.getMessage().contains("Content Security Policy"))
                .noneMatch(e -> e.getMessage().contains("Uncaught"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> options(WebDriver d) {
        return (List<String>) ((JavascriptExecutor) d).executeScript(
                "return [...document.querySelectorAll('#sample option')].map(o => o.textContent)");
    }

    /** Picks the first option that starts so, as a person does in the list (which may be redrawn meanwhile). */
    private static void choose(ChromeDriver browser, String start) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    String text = options(d).stream().filter(t -> t.startsWith(start)).findFirst().orElseThrow();
                    new Select(d.findElement(By.id("sample"))).selectByVisibleText(text);
                    return true;
                });
    }

    /** The spectra count of a picker option ("sample · experiment · element · N spectra, ..."). */
    private static int spectra(String option) {
        return Integer.parseInt(option.split(" \u00b7 ")[3].split(" ")[0]);
    }

    private static int points(WebDriver d) {
        String text = d.findElement(By.id("ox-count")).getText();
        return text.isBlank() ? 0 : Integer.parseInt(text.split(" ")[0]);
    }

    private static String attr(WebDriver d, String id, String name) {
        String v = d.findElement(By.id(id)).getAttribute(name);
        return v == null ? "0" : v;
    }

    private static void shoot(ChromeDriver browser, String name) throws Exception {
        Files.write(SHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }
}
