package io.xasstream.common.config;

/** Where models run: cpu, cuda, or auto (CUDA when it loads, else CPU). */
public enum ExecutionDevice { CPU, CUDA, AUTO }
