package io.xasstream.k8s.image;

/** Exit code and output of a finished command. */
record ProcessResult(int exitCode, String stdout, String stderr) {
    String output() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
}
