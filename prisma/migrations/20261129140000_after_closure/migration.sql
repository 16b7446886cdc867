-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "ratedAt" TIMESTAMPTZ(3),
ADD COLUMN     "reporterKey" TEXT,
ADD COLUMN     "satisfaction" TEXT;

-- CreateTable
CREATE TABLE "TicketLink" (
    "ticketNo" TEXT NOT NULL,
    "relatedNo" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedBy" TEXT,
    "removedAt" TIMESTAMPTZ(3),

    CONSTRAINT "TicketLink_pkey" PRIMARY KEY ("ticketNo","relatedNo")
);

-- CreateTable
CREATE TABLE "RevisitTask" (
    "id" BIGSERIAL NOT NULL,
    "ticketNo" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "sampler" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "exemptions" JSONB NOT NULL DEFAULT '[]',
    "skipGround" TEXT,
    "result" JSONB,
    "suggestion" JSONB,
    "suggestionDecision" TEXT,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RevisitTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupervisionCase" (
    "id" TEXT NOT NULL,
    "ticketNo" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "triggers" JSONB NOT NULL,
    "escalated" BOOLEAN NOT NULL DEFAULT false,
    "openedBy" TEXT NOT NULL,
    "openedAt" TIMESTAMPTZ(3) NOT NULL,
    "answerDueAt" TIMESTAMPTZ(3),
    "reminded" BOOLEAN NOT NULL DEFAULT false,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'open',
    "answer" JSONB,
    "answeredAt" TIMESTAMPTZ(3),
    "approvedBy" TEXT,
    "closedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SupervisionCase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TicketLink_relatedNo_idx" ON "TicketLink"("relatedNo");

-- CreateIndex
CREATE INDEX "RevisitTask_status_unitId_idx" ON "RevisitTask"("status", "unitId");

-- CreateIndex
CREATE UNIQUE INDEX "RevisitTask_ticketNo_sampler_day_key" ON "RevisitTask"("ticketNo", "sampler", "day");

-- CreateIndex
CREATE INDEX "SupervisionCase_status_unitId_idx" ON "SupervisionCase"("status", "unitId");

-- CreateIndex
CREATE INDEX "SupervisionCase_ticketNo_idx" ON "SupervisionCase"("ticketNo");

-- CreateIndex
CREATE INDEX "Ticket_reporterKey_unitId_category_dispatchedAt_idx" ON "Ticket"("reporterKey", "unitId", "category", "dispatchedAt");

-- AddForeignKey
ALTER TABLE "TicketLink" ADD CONSTRAINT "TicketLink_ticketNo_fkey" FOREIGN KEY ("ticketNo") REFERENCES "Ticket"("ticketNo") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketLink" ADD CONSTRAINT "TicketLink_relatedNo_fkey" FOREIGN KEY ("relatedNo") REFERENCES "Ticket"("ticketNo") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RevisitTask" ADD CONSTRAINT "RevisitTask_ticketNo_fkey" FOREIGN KEY ("ticketNo") REFERENCES "Ticket"("ticketNo") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupervisionCase" ADD CONSTRAINT "SupervisionCase_ticketNo_fkey" FOREIGN KEY ("ticketNo") REFERENCES "Ticket"("ticketNo") ON DELETE RESTRICT ON UPDATE CASCADE;

