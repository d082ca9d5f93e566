package dev.ostiary.sample.resourceserver;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A tiny in-memory health-data API: patients and doctors. Access is decided in {@link ApiAccess}. */
@RestController
class PatientController {

    /** A patient record. */
    record Patient(long id, String name, String createdBy) {
    }

    /** A doctor. */
    record Doctor(long id, String name, String speciality) {
    }

    /** What a client sends to create a patient. */
    record NewPatient(String name) {
    }

    private final Map<Long, Patient> patients = new ConcurrentHashMap<>(Map.of(
            1L, new Patient(1, "Ada Example", "seed"), 2L, new Patient(2, "Ben Example", "seed")));
    private final Map<Long, Doctor> doctors = Map.of(
            1L, new Doctor(1, "Dr. Carla Jones", "cardiology"), 2L, new Doctor(2, "Dr. Dan Smith", "dermatology"));
    private final AtomicLong ids = new AtomicLong(100);

    @GetMapping("/api/patients")
    List<Patient> patients() {
        return patients.values().stream().sorted(java.util.Comparator.comparingLong(Patient::id)).toList();
    }

    @PostMapping("/api/patients")
    ResponseEntity<Patient> create(@RequestBody(required = false) NewPatient body, @AuthenticationPrincipal Jwt caller) {
        String name = body == null || body.name() == null || body.name().isBlank() ? "Unnamed" : body.name();
        Patient patient = new Patient(ids.incrementAndGet(), name, caller.getSubject());
        patients.put(patient.id(), patient);
        return ResponseEntity.status(HttpStatus.CREATED).body(patient);
    }

    @DeleteMapping("/api/patients/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        patients.remove(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/doctors/{id}")
    ResponseEntity<Doctor> doctor(@PathVariable long id) {
        Doctor doctor = doctors.get(id);
        return doctor == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(doctor);
    }
}
