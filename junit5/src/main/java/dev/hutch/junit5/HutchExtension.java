package dev.hutch.junit5;

import dev.hutch.config.EngineConfig;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Engines;
import dev.hutch.image.ImageSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Starts a test class's {@link HutchContainer} fields with hutch's engine, in this JVM (no CLI,
 * no socket): static fields before the class's first test (removed after its last), instance
 * fields before each test (removed after it). Removal happens whatever the test did (failed,
 * threw, timed out), once more when JUnit closes the test's store, and in a shutdown hook if the
 * JVM ends first.
 *
 * <p>Safe under JUnit's parallel execution: every container gets a unique name, the engine keeps
 * its state on disk under its own locks, and the only state shared here (the engines, the
 * containers still running) sits in concurrent maps or under a lock.
 *
 * <p>hutch needs root. As another user a test that declares containers fails with one line; with
 * the configuration parameter {@code hutch.junit5.notRoot=skip} it is skipped instead, saying why.
 */
public final class HutchExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** JUnit configuration parameter: {@code fail} (the default) or {@code skip} when not root. */
    public static final String NOT_ROOT_PARAMETER = "hutch.junit5.notRoot";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HutchExtension.class);
    /** One engine per configuration for the whole JVM: it holds no state of its own, only its parts. */
    private static final Map<EngineConfig, Engine> ENGINES = new ConcurrentHashMap<>();

    /** Asked when the first container starts (not when the test class is loaded). */
    private final Supplier<EngineConfig> config;

    /** The engine of the environment ({@code HUTCH_RUN_ROOT}, {@code HUTCH_LIB_ROOT}... or hutch's defaults). */
    public HutchExtension() { this(() -> EngineConfig.fromEnvironment(System.getenv())); }

    private HutchExtension(Supplier<EngineConfig> config) { this.config = config; }

    /** An extension over an engine with other roots (e.g. a test's private ones). */
    public static HutchExtension using(EngineConfig config) {
        if (config == null) throw new IllegalArgumentException("HutchExtension.using needs a config (try EngineConfig.fromEnvironment(System.getenv()))");
        return new HutchExtension(() -> config);
    }

    /**
     * As {@link #using(EngineConfig)}, the config asked for only when a container is about to
     * start: roots that are made on demand are not made for a class that is skipped.
     */
    public static HutchExtension using(Supplier<EngineConfig> config) {
        if (config == null) throw new IllegalArgumentException("HutchExtension.using needs a config supplier");
        return new HutchExtension(config);
    }

    /** The engine the containers run on (shared per configuration in this JVM). */
    public Engine engine() {
        EngineConfig c = config.get();
        if (c == null) throw new ExtensionConfigurationException("the HutchExtension's config supplier gave null");
        return ENGINES.computeIfAbsent(c, k -> Engines.forHost(k, imageSources()));
    }

    // ---- per class -----------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext ctx) {
        Class<?> testClass = ctx.getRequiredTestClass();
        List<Field> fields = containerFields(testClass, f -> Modifier.isStatic(f.getModifiers()));
        if (fields.isEmpty()) return;
        requireRoot(ctx);
        StartedRefs started = startedRefs(ctx);
        for (Field f : fields) {
            String field = testClass.getSimpleName() + "." + f.getName();
            HutchContainerRef ref = refIn(f, null, field);
            // added once started: a start that fails removes what it made itself, and one refused
            // because the ref already runs must not remove the container it found
            ref.start(engine(), field, ContainerLabels.name(f.getName()), ContainerLabels.of(testClass, null, field));
            started.add(ref);
        }
    }

    @Override
    public void afterAll(ExtensionContext ctx) { closeStarted(ctx); }

    // ---- per test ------------------------------------------------------------------------------

    @Override
    public void beforeEach(ExtensionContext ctx) {
        Class<?> testClass = ctx.getRequiredTestClass();
        String test = ctx.getRequiredTestMethod().getName();
        StartedRefs started = null;
        // the test's own instance and, for a @Nested test, its enclosing ones
        for (Object instance : ctx.getRequiredTestInstances().getAllInstances()) {
            List<Field> fields = containerFields(instance.getClass(), f -> !Modifier.isStatic(f.getModifiers()));
            if (fields.isEmpty()) continue;
            if (started == null) {
                requireRoot(ctx);
                started = startedRefs(ctx);
            }
            for (Field f : fields) {
                String field = instance.getClass().getSimpleName() + "." + f.getName();
                HutchContainerRef ref = refIn(f, instance, field);
                ref.start(engine(), field, ContainerLabels.name(f.getName()), ContainerLabels.of(testClass, test, field));
                started.add(ref); // once started, as above
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext ctx) { closeStarted(ctx); }

    // ---- helpers -------------------------------------------------------------------------------

    /**
     * The refs started in one extension context (a class or a test). Removed explicitly in
     * afterAll/afterEach, so the containers are gone before callbacks registered ahead of this
     * extension run (a test's private roots, say); and again, idempotently, when JUnit closes the
     * context's store, which it does even when a callback before that failed.
     */
    private static final class StartedRefs implements ExtensionContext.Store.CloseableResource {
        private final List<HutchContainerRef> refs = new ArrayList<>();

        synchronized void add(HutchContainerRef ref) { refs.add(ref); }

        @Override
        public void close() {
            List<HutchContainerRef> all;
            synchronized (this) {
                all = new ArrayList<>(refs);
                refs.clear();
            }
            RuntimeException first = null;
            for (int i = all.size() - 1; i >= 0; i--) { // the last started first
                try {
                    all.get(i).remove();
                } catch (RuntimeException e) {
                    if (first == null) first = e;
                    else first.addSuppressed(e);
                }
            }
            if (first != null) throw first;
        }
    }

    private static StartedRefs startedRefs(ExtensionContext ctx) {
        // Keyed by the context's own id: a test's store falls back to its class's for keys it lacks,
        // and a test must not find (and remove) its class's containers. One per context, so no two
        // threads share one.
        return ctx.getStore(NAMESPACE).getOrComputeIfAbsent(ctx.getUniqueId(), k -> new StartedRefs(), StartedRefs.class);
    }

    private static void closeStarted(ExtensionContext ctx) {
        StartedRefs s = ctx.getStore(NAMESPACE).get(ctx.getUniqueId(), StartedRefs.class);
        if (s != null) s.close();
    }

    private static List<Field> containerFields(Class<?> c, Predicate<Field> which) {
        return AnnotationSupport.findAnnotatedFields(c, HutchContainer.class, which);
    }

    private static HutchContainerRef refIn(Field f, Object instance, String field) {
        if (f.getType() != HutchContainerRef.class)
            throw new ExtensionConfigurationException("@HutchContainer " + field + " is a " + f.getType().getSimpleName()
                    + ", not a HutchContainerRef (declare it as HutchContainerRef " + f.getName() + " = HutchContainerRef.of(ContainerSpec.builder(\"busybox\")...))");
        Object value;
        try {
            f.setAccessible(true);
            value = f.get(instance);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException("@HutchContainer " + field + " cannot be read: " + e.getMessage(), e);
        }
        if (value == null)
            throw new ExtensionConfigurationException("@HutchContainer " + field + " is null (initialize it where it is declared:"
                    + " = HutchContainerRef.of(ContainerSpec.builder(\"busybox\")...))");
        return (HutchContainerRef) value;
    }

    private static void requireRoot(ExtensionContext ctx) {
        long uid = HostUser.effectiveUid();
        if (uid == 0) return;
        boolean skip = ctx.getConfigurationParameter(NOT_ROOT_PARAMETER).map("skip"::equalsIgnoreCase).orElse(false);
        String why = "hutch containers need root (uid " + uid + " here): hutch makes namespaces, cgroups and mounts;"
                + " run the tests as root" + (skip ? "" : ", or set the JUnit parameter " + NOT_ROOT_PARAMETER + "=skip to skip them");
        if (!skip) throw new ExtensionConfigurationException(why);
        System.err.println("SKIPPED " + ctx.getDisplayName() + ": " + why);
        throw new TestAbortedException(why);
    }

    /**
     * Images the engine makes on first use (the built-in busybox when hutch-rootfs-builder is on
     * the class path), found through {@link ServiceLoader} since this module knows only the engine.
     */
    private static ImageSource imageSources() {
        List<ImageSource> all = new ArrayList<>();
        ServiceLoader.load(ImageSource.class, HutchExtension.class.getClassLoader()).forEach(all::add);
        if (all.isEmpty()) return null;
        return (reference, store) -> {
            for (ImageSource s : all) {
                var image = s.provide(reference, store);
                if (image != null) return image;
            }
            return null;
        };
    }
}
