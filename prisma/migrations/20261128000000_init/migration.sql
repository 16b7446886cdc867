-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Unit" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "parentId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketIntake" (
    "ticketNo" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketIntake_pkey" PRIMARY KEY ("ticketNo")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "ticketNo" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "urgency" TEXT,
    "labels" TEXT[],
    "unitId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reporterAnonymous" BOOLEAN NOT NULL,
    "reporterName" TEXT,
    "reporterPhone" TEXT,
    "subject" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "dispatchedAt" TIMESTAMPTZ(3) NOT NULL,
    "dispatchedToUnitAt" TIMESTAMPTZ(3) NOT NULL,
    "acceptDueAt" TIMESTAMPTZ(3) NOT NULL,
    "acceptedAt" TIMESTAMPTZ(3),
    "acceptedBy" TEXT,
    "acceptOverdue" BOOLEAN NOT NULL DEFAULT false,
    "returnWindowEndsAt" TIMESTAMPTZ(3),
    "dueAt" TIMESTAMPTZ(3),
    "remindAt" TIMESTAMPTZ(3),
    "deadlinesProvisional" BOOLEAN NOT NULL DEFAULT false,
    "closedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("ticketNo")
);

-- CreateTable
CREATE TABLE "TicketEvent" (
    "id" BIGSERIAL NOT NULL,
    "ticketNo" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "TicketEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" BIGSERIAL NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "ticketNo" TEXT,
    "kind" TEXT NOT NULL,
    "recipientRole" TEXT NOT NULL,
    "recipientUnit" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Unit_name_key" ON "Unit"("name");

-- CreateIndex
CREATE INDEX "Ticket_status_idx" ON "Ticket"("status");

-- CreateIndex
CREATE INDEX "Ticket_unitId_status_idx" ON "Ticket"("unitId", "status");

-- CreateIndex
CREATE INDEX "Ticket_dueAt_idx" ON "Ticket"("dueAt");

-- CreateIndex
CREATE INDEX "TicketEvent_type_at_idx" ON "TicketEvent"("type", "at");

-- CreateIndex
CREATE UNIQUE INDEX "TicketEvent_ticketNo_sequence_key" ON "TicketEvent"("ticketNo", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_idempotencyKey_key" ON "Notification"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Notification_status_createdAt_idx" ON "Notification"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketEvent" ADD CONSTRAINT "TicketEvent_ticketNo_fkey" FOREIGN KEY ("ticketNo") REFERENCES "Ticket"("ticketNo") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Seed: the units the regulation names (第四条、第五条、第三十一条). Divisions (委机关各处室) and further affiliated
-- units are added by administrators, and kind and parentId leave room for them and for their departments.
INSERT INTO "Unit" ("id", "name", "kind") VALUES
    ('service-division', '委政务服务处', 'service-division'),
    ('road-transport-bureau', '市道路运输局', 'bureau'),
    ('port-shipping-bureau', '市港航局', 'bureau'),
    ('transport-enforcement-corps', '市交通运输执法总队', 'bureau'),
    ('highway-center', '市公路中心', 'affiliated'),
    ('comprehensive-service-center', '市综合服务中心', 'affiliated')
ON CONFLICT ("id") DO NOTHING;
