-- Ostiary schema, part 17 (issue 16, stateless nodes): HTTP sessions in PostgreSQL.
--
-- Spring Session JDBC's own PostgreSQL schema (schema-postgresql.sql in spring-session-jdbc 4.1.0),
-- unchanged: the library's queries name these tables and columns. Flyway creates it, so
-- spring.session.jdbc.initialize-schema is "never". A session is a row here and its attributes (the
-- security context, the saved authorization request, the CSRF token) are JDK-serialized rows in
-- spring_session_attributes, so a login started on one node is finished on another.
--
-- spring_session_ix2 (expiry_time) keeps the expired-session cleanup an index range scan: every node
-- runs it, and each run deletes only the rows expired since the last one (none, once another node
-- has). spring_session_ix3 (principal_name) is how deprovisioning and sign out everywhere find every
-- session of a user, on every node.
CREATE TABLE SPRING_SESSION (
	PRIMARY_ID CHAR(36) NOT NULL,
	SESSION_ID CHAR(36) NOT NULL,
	CREATION_TIME BIGINT NOT NULL,
	LAST_ACCESS_TIME BIGINT NOT NULL,
	MAX_INACTIVE_INTERVAL INT NOT NULL,
	EXPIRY_TIME BIGINT NOT NULL,
	PRINCIPAL_NAME VARCHAR(100),
	CONSTRAINT SPRING_SESSION_PK PRIMARY KEY (PRIMARY_ID)
);

CREATE UNIQUE INDEX SPRING_SESSION_IX1 ON SPRING_SESSION (SESSION_ID);
CREATE INDEX SPRING_SESSION_IX2 ON SPRING_SESSION (EXPIRY_TIME);
CREATE INDEX SPRING_SESSION_IX3 ON SPRING_SESSION (PRINCIPAL_NAME);

CREATE TABLE SPRING_SESSION_ATTRIBUTES (
	SESSION_PRIMARY_ID CHAR(36) NOT NULL,
	ATTRIBUTE_NAME VARCHAR(200) NOT NULL,
	ATTRIBUTE_BYTES BYTEA NOT NULL,
	CONSTRAINT SPRING_SESSION_ATTRIBUTES_PK PRIMARY KEY (SESSION_PRIMARY_ID, ATTRIBUTE_NAME),
	CONSTRAINT SPRING_SESSION_ATTRIBUTES_FK FOREIGN KEY (SESSION_PRIMARY_ID) REFERENCES SPRING_SESSION(PRIMARY_ID) ON DELETE CASCADE
);
