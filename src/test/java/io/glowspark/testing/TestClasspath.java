package io.glowspark.testing;

/** The classpath of the test JVM, for JVMs a test starts (executors, driver processes). */
public final class TestClasspath {

    private TestClasspath() {
    }

    /** Under surefire java.class.path is only its booter jar; surefire.test.class.path is the real one. */
    public static String get() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}
