package dev.ostiary;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class OstiaryApplication {
    public static void main(String[] args) {
        SpringApplication.run(OstiaryApplication.class, args);
    }
}
